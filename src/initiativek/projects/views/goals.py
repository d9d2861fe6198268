from django.http import Http404
from django.shortcuts import render

from initiativek.core.constants import Goal

from .. import selectors


def goal_detail(request, number: int):
    if number not in Goal.values:
        raise Http404
    report = selectors.goal_report(goal=number, user=request.user)
    for row in report["by_status"]:
        row["percent"] = round(100 * row["count"] / report["max_count"])
    return render(
        request,
        "projects/goal.html",
        {
            "number": number,
            "label": Goal(number).label,
            "goals": Goal.choices,
            "chart_height": 12 * len(report["by_status"]) + 6,
            **report,
        },
    )
