from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.services import tasks


def test_create_task_appears_in_owner_list(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="  Buy milk ")
    page = tasks.list_tasks(session, owner_id=owner.id)
    assert [t.title for t in page.items] == ["Buy milk"]
    assert page.total == 1
    assert task.created_at.tzinfo is not None
