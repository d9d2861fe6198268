from allauth.account.adapter import DefaultAccountAdapter

from initiativek.core.services import mail_queue


class AccountAdapter(DefaultAccountAdapter):
    """Route allauth's mails through the platform outbox (stored, sent in the background,
    retried)."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
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
