"""Today's queue for the demo: the office's desks, and a morning of numbers issued, called and
served through the queue services, some still waiting — so the kiosk, the desks and the
waiting-room display show a working day."""

import random

from django.contrib.auth.models import AbstractBaseUser

from registry.models import ServiceDesk, TicketService
from registry.services.tickets import ticket_call_next, ticket_issue, ticket_serve
from shifts.models import Post

# Loket number → (service, post that mans it).
DESKS = {
    1: (TicketService.REGISTRATION, "DAF"),
    2: (TicketService.REGISTRATION, "DAF"),
    3: (TicketService.RECORDING, "REK"),
    4: (TicketService.HANDOVER, "SRH"),
    5: (TicketService.CONSULTATION, None),
}
# Numbers taken this morning per service, and how many of them have been served so far.
MORNING = {
    TicketService.REGISTRATION: (18, 12),
    TicketService.HANDOVER: (14, 9),
    TicketService.CONSULTATION: (4, 2),
}


def queue_seed(clerks: dict[str, AbstractBaseUser]) -> int:
    """Desks and this morning's numbers; ``clerks`` maps a post code to its demo account.
    Returns how many numbers were issued."""
    posts = {post.code: post for post in Post.objects.all()}
    desks = {
        number: ServiceDesk.objects.get_or_create(
            number=number, defaults={"service": service, "post": posts.get(post)}
        )[0]
        for number, (service, post) in DESKS.items()
    }
    rng = random.Random(2020)
    issued = 0
    for service, (count, served) in MORNING.items():
        for _ in range(count):
            ticket_issue(service=service, address=f"10.0.0.{rng.randint(2, 250)}")
            issued += 1
        desk = next(d for d in desks.values() if d.service == service)
        clerk = clerks.get(desk.post.code if desk.post else "DAF")
        for _ in range(served):
            called = ticket_call_next(desk=desk, actor=clerk)
            ticket_serve(desk=desk, ticket=called.pk, actor=clerk)
        ticket_call_next(desk=desk, actor=clerk)  # the number being served now
    return issued
