"""The relay's receiving end: layer messages that a worker could not send itself."""

from __future__ import annotations

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.realtime import relay
from community.realtime.events import RELAYED_MESSAGE_TYPES, group_send_all


@csrf_exempt  # signed with the secret key instead: the sender is a worker, not a browser
@require_POST
async def relay_receive(request: HttpRequest) -> HttpResponse:
    layer = get_channel_layer()
    # Only the in-memory layer needs a relay; with Redis the worker sends for itself.
    if not isinstance(layer, InMemoryChannelLayer):
        raise Http404
    try:
        messages = relay.relay_open(request.body.decode(), types=RELAYED_MESSAGE_TYPES)
    except (signing.BadSignature, UnicodeDecodeError):
        return HttpResponse("Bad signature", status=403, content_type="text/plain")
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    # On the server's own event loop: the in-memory layer's queues belong to it.
    await group_send_all(layer, messages)
    return HttpResponse(status=204)
