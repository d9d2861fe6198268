from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from initiativek.core.services import mail_queue


class AccountAdapter(DefaultAccountAdapter):
    """Route allauth's mails through the platform outbox (stored, sent in the background,
    retried)."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the mail with the context allauth's own ``send_mail`` gives its templates
        (``request``, ``email``, ``current_site``) plus the platform's name, address and the team's
        e-mail address for the templates under ``templates/account/email/``, then queue it."""
        message = self.render_mail(template_prefix, email, self.mail_context(email, context))
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        mail_queue(
            to=[email],
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            sensitive=True,  # verification and reset links
        )

    def mail_context(self, email: str, context: dict[str, Any]) -> dict[str, Any]:
        request = allauth_context.request
        return {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            # The subject is rendered without the request, so without context processors.
            "platform_name": settings.PLATFORM_NAME,
            "site_url": settings.SITE_URL,
            "team_email": settings.TEAM_EMAIL,
            **context,
        }
