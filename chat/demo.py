"""Demo channels with history (registered with seed_demo)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from chat import rules, services
from chat.models import Room

CHANNELS = [
    (
        "Общий",
        "Обо всём: новости отделов, поздравления, полезные ссылки.",
        Room.Access.MEMBERS,
        [
            ("coordinator@example.com", "Коллеги, добро пожаловать в чат сообщества наставников!"),
            ("mentor@example.com", "Всем привет! Если что-то непонятно с СЭД — пишите сюда."),
            ("newcomer@example.com", "Спасибо! А где посмотреть график приёма в отделе кадров?"),
            ("e.morozova@example.com", "С 9 до 13 по будням, кабинет 214."),
            ("newcomer@example.com", "Понял, спасибо 🙏"),
        ],
    ),
    (
        "Наставники",
        "Для наставников и координаторов.",
        Room.Access.MENTORS,
        [
            ("r.garipov@example.com", "Кто уже провёл первую встречу с подопечным в этом потоке?"),
            ("mentor@example.com", "Я. Помог чек-лист из раздела «Практики наставничества»."),
            ("coordinator@example.com", "Напоминаю: планы адаптации заполняем до пятницы."),
        ],
    ),
    (
        "Кадровые вопросы",
        "Отпуска, больничные, аттестация.",
        Room.Access.MEMBERS,
        [
            ("k.minnullina@example.com", "Подскажите, больничный нужно приносить в бумажном виде?"),
            (
                "e.morozova@example.com",
                "Нет, теперь только электронный: номер листка пришлите мне.",
            ),
            ("k.minnullina@example.com", "Отлично, спасибо!"),
        ],
    ),
]


def load(write) -> None:
    """Create the demo channels, members and history once."""
    if Room.objects.filter(kind=Room.Kind.CHANNEL).exists():
        return
    users = {u.email: u for u in get_user_model().objects.filter(is_active=True)}
    coordinator = users["coordinator@example.com"]
    for name, topic, access, history in CHANNELS:
        room = services.channel_create(creator=coordinator, name=name, topic=topic, access=access)
        for user in users.values():
            if access == Room.Access.MEMBERS or rules.is_mentor_or_coordinator(user):
                services.room_join(user=user, room=room)
        for number, (email, body) in enumerate(history):
            services.message_send(
                author=users[email], room=room, body=body, client_id=f"demo-{room.pk}-{number}"
            )
    direct = services.direct_open(
        user=users["mentor@example.com"], others=[users["newcomer@example.com"]]
    )
    services.message_send(
        author=users["mentor@example.com"],
        room=direct,
        body="Тимур, как проходит первая неделя? Пиши, если что.",
        client_id="demo-direct-1",
    )
    write(f"Chat: {Room.objects.filter(kind=Room.Kind.CHANNEL).count()} channels.")
