"""The sidebar's projects as the page shows them, and each colour's tone (no Reflex here)."""

from __future__ import annotations

import dataclasses

from todo_app.models import ProjectColor, ProjectPublic

# Radix Themes scales for the project colours: the sidebar's dot is step 9, readable on the
# page's background in light and dark alike (a decoration: the name is the text).
PROJECT_TONES: dict[str, str] = {
    ProjectColor.berry.value: "crimson",
    ProjectColor.red.value: "red",
    ProjectColor.orange.value: "orange",
    ProjectColor.yellow.value: "amber",
    ProjectColor.olive.value: "lime",
    ProjectColor.green.value: "green",
    ProjectColor.teal.value: "teal",
    ProjectColor.sky.value: "sky",
    ProjectColor.blue.value: "blue",
    ProjectColor.grape.value: "plum",
    ProjectColor.violet.value: "violet",
    ProjectColor.charcoal.value: "gray",
}


@dataclasses.dataclass
class ProjectEntry:
    """A project in the sidebar: its link, colour and how many open tasks it holds."""

    id: int
    name: str
    color: str
    # CSS colour of the dot: `var(--<tone>-9)`.
    dot: str
    open_count: int
    href: str


def project_entry(project: ProjectPublic) -> ProjectEntry:
    """The sidebar entry of a project."""
    return ProjectEntry(
        id=project.id,
        name=project.name,
        color=project.color.value,
        dot=f"var(--{PROJECT_TONES[project.color.value]}-9)",
        open_count=project.open_count,
        href=f"/projects/{project.id}",
    )
