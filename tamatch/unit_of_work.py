"""One shape for a view that changes something: commit once, roll back in one place.

    with unit_of_work(form) as work:
        need = create_need(current_user, data)
    if work.failed:
        return render_template("needs/form.html", form=form)  # the error is under its field
    flash(_("Saved."), "success")
    return redirect(url_for("needs.detail", need_id=need.id))

What the block does is committed once when it ends. When a service raises a DomainError,
everything it did is rolled back and the message is shown: under the form field it names
(or at the top of the form) when a form is given, so the view re-renders it with all that
was typed; else as a flashed message, before the view redirects. PermissionDenied and
NotFound are not shown there: after the rollback they answer 403 and 404 with their reason,
through the app's error handlers (the API's own, in its error shape, on its routes).
"""

from types import TracebackType

from flask import flash
from flask_wtf import FlaskForm

from tamatch.errors import DomainError, NotFound, PermissionDenied
from tamatch.extensions import db
from tamatch.forms import show_domain_error


class UnitOfWork:
    """The context manager `unit_of_work` returns; `error` is the domain error it showed."""

    def __init__(self, form: FlaskForm | None = None, *, reraise: bool = False):
        self.form = form
        self.reraise = reraise
        self.error: DomainError | None = None

    @property
    def failed(self) -> bool:
        """The block raised a domain error: nothing of it was kept, and it was shown."""
        return self.error is not None

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if error is None:
            db.session.commit()
            return False
        db.session.rollback()
        if self.reraise or not isinstance(error, DomainError):
            return False
        if isinstance(error, PermissionDenied | NotFound):
            return False  # 403 / 404 from the error handlers
        self.error = error
        if self.form is not None:
            show_domain_error(self.form, error)
        else:
            flash(error.message, "danger")
        return True


def unit_of_work(form: FlaskForm | None = None, *, reraise: bool = False) -> UnitOfWork:
    """Commit the block's changes once, or roll them back and show its DomainError.

    `form`: put the error under its field (the view re-renders the form); without one the
    error is flashed. `reraise=True`: roll back and let every error propagate (the JSON API,
    whose handlers answer in its error shape).
    """
    return UnitOfWork(form, reraise=reraise)
