from initiativek.core.services import audit_log

from .models import User


def user_profile_update(*, user: User, actor: User, name: str, function: str, phone: str) -> User:
    user = User.objects.get(pk=user.pk)  # compare with what is stored, not with a bound form
    changed = {
        field: value
        for field, value in {"name": name, "function": function, "phone": phone}.items()
        if getattr(user, field) != value
    }
    for field, value in changed.items():
        setattr(user, field, value)
    user.full_clean()
    user.save()
    if changed:
        audit_log(
            actor=actor, action="accounts.user.profile_changed", obj=user, data=sorted(changed)
        )
    return user
