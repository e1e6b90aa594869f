from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chat import rules, selectors, services, slots
from chat.forms import ChannelForm, GroupForm, InviteForm, MessageForm
from chat.models import Message
from community.attachments.services import text_with_uploads
from community.forms import apply_validation_error
from community.ratelimit import RateLimited, too_many_attempts
from profiles import selectors as profile_selectors
from profiles.types import MemberRequest


def _sidebar(request: MemberRequest) -> dict:
    rooms = list(selectors.rooms_for(request.user))
    for room in rooms:
        room.title = selectors.room_title(room, request.user)
    return {
        "rooms": rooms,
        "labels": {
            "edited": _("edited"),
            "deleted": _("This message was deleted."),
            "reply": _("Reply"),
        },
    }


@login_required
@require_GET
def index(request: MemberRequest) -> HttpResponse:
    sidebar = _sidebar(request)
    if sidebar["rooms"]:
        return redirect("chat:room", room_id=sidebar["rooms"][0].pk)
    return redirect("chat:channels")


@login_required
@require_GET
def room(request: MemberRequest, room_id: int) -> HttpResponse:
    room = selectors.room_get_for(request.user, room_id)
    before = request.GET.get("before", "")
    history = selectors.history_before(
        room, int(before) if before.isdigit() and len(before) < 18 else None
    )
    last_read = selectors.last_read_seq(request.user, room)
    replying_to = _reply_parent(request, room)
    if not before:  # opening the room reads it; the page still marks where reading stopped
        services.room_mark_read(user=request.user, room=room, seq=room.sequence)
    context = {
        **_sidebar(request),
        "room": room,
        "history": history,
        "last_read_seq": last_read,
        "title": selectors.room_title(room, request.user),
        "members": selectors.room_members(room),
        "replying_to": replying_to,
        "tools": slots.tools_for(room, request.user),
        "form": MessageForm(initial={"reply_to": replying_to.pk if replying_to else None}),
        "invite_form": InviteForm(),
        "can_invite": rules.can_invite(request.user, room),
        "older": history[0].created_seq if history and history[0].created_seq > 1 else None,
    }
    if request.htmx:
        return render(request, "chat/partials/messages.html", context)
    return render(request, "chat/room.html", context)


def _reply_parent(request: MemberRequest, room) -> Message | None:
    """The message that ?reply_to= names, if it is in this room: the no-script reply link."""
    raw = request.GET.get("reply_to", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    try:
        parent = selectors.message_get_for(request.user, int(raw))
    except Http404:
        return None
    return parent if parent.room_id == room.pk and not parent.is_deleted else None


@login_required
@require_POST
def send(request: MemberRequest, room_id: int) -> HttpResponse:
    """The composer without JavaScript: a plain form that posts one message."""
    room = selectors.room_get_for(request.user, room_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            parent = (
                selectors.message_get_for(request.user, form.cleaned_data["reply_to"])
                if form.cleaned_data["reply_to"]
                else None
            )
            body = text_with_uploads(
                owner=request.user,
                text=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
            message, _new = services.message_send(
                author=request.user,
                room=room,
                body=body,
                client_id=form.cleaned_data["client_id"],
                reply_to=parent,
            )
        except Http404:
            form.add_error(None, _("The message you replied to is no longer there."))
        except RateLimited as error:
            return too_many_attempts(request, error.message)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(f"{reverse('chat:room', args=[room.pk])}#message-{message.pk}")
    for field_errors in form.errors.values():
        messages.error(request, " ".join(str(error) for error in field_errors))
    return redirect("chat:room", room_id=room.pk)


@login_required
def channels(request: MemberRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.channel_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("chat:room", room_id=room.pk)
    return render(
        request,
        "chat/channels.html",
        {
            **_sidebar(request),
            "form": form,
            "group_form": GroupForm(),
            "joinable": selectors.joinable_channels(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def join(request: MemberRequest, room_id: int) -> HttpResponse:
    room = selectors.joinable_channels(request.user).filter(pk=room_id).first()
    if room is None:
        raise Http404
    services.room_join(user=request.user, room=room)
    return redirect("chat:room", room_id=room.pk)


@login_required
@require_POST
def leave(request: MemberRequest, room_id: int) -> HttpResponse:
    room = selectors.room_get_for(request.user, room_id)
    services.room_leave(user=request.user, room=room)
    messages.success(request, _("You have left the room."))
    return redirect("chat:index")


@login_required
@require_POST
def group_new(request: MemberRequest) -> HttpResponse:
    form = GroupForm(request.POST)
    if not form.is_valid():
        raise Http404
    room = services.group_create(creator=request.user, name=form.cleaned_data["name"], members=[])
    return redirect("chat:room", room_id=room.pk)


@login_required
@require_POST
def invite(request: MemberRequest, room_id: int) -> HttpResponse:
    room = selectors.room_get_for(request.user, room_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        member = profile_selectors.member_get(slug=form.cleaned_data["member"])
        try:
            services.member_invite(inviter=request.user, room=room, invitee=member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s has joined the room.") % {"name": member.full_name}
            )
    else:
        messages.error(request, _("Choose a colleague to invite."))
    return redirect("chat:room", room_id=room.pk)


@login_required
@require_POST
def direct(request: MemberRequest) -> HttpResponse:
    """Open the conversation with a colleague (the «Написать» button on profiles)."""
    member = profile_selectors.member_get(slug=request.POST.get("member", ""))
    if member.pk == request.user.pk:
        raise PermissionDenied
    room = services.direct_open(user=request.user, others=[member])
    return redirect("chat:room", room_id=room.pk)
