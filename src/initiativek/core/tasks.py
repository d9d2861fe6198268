from django_tasks import task

from . import services


@task()
def mail_send_task(*, mail_id: int) -> None:
    services.mail_send(mail_id=mail_id)
