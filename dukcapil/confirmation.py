"""The page an irreversible one-click step shows first: what will happen, then Batal or confirm.

The confirm button posts the same form again with ``confirmed`` added, so the view that asked
runs the same service as before; a view asks with ``if "confirmed" not in request.POST``.
"""

from django.template.response import TemplateResponse


def confirmation(
    request, admin_site, *, title: str, consequence: str, confirm_label: str, cancel_url: str
) -> TemplateResponse:
    posted = [
        (name, value)
        for name in request.POST
        if name != "csrfmiddlewaretoken"
        for value in request.POST.getlist(name)
    ]
    context = {
        **admin_site.each_context(request),
        "title": title,
        "consequence": consequence,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "posted": posted,
    }
    return TemplateResponse(request, "admin/confirmation.html", context)
