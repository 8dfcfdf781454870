"""A run's progress and failure are stored as facts and put in words for each reader, in the
reader's language; rows stored before as English sentences still show."""

import json

from flask_babel import force_locale

from tamatch.models import SolveRun
from tamatch.rounds import progress
from tamatch.rounds.progress import error_words, fact, progress_words


def _run(progress_text: str = "", error: str = "") -> SolveRun:
    return SolveRun(progress=progress_text, error=error)


def test_progress_is_stored_as_a_code_and_its_numbers(app):
    stored = fact(progress.SCORING, needs=5000, offers=500)
    assert json.loads(stored) == {"code": "scoring", "needs": 5000, "offers": 500}
    with app.test_request_context():
        assert progress_words(_run(stored)) == "Scoring 5,000 needs against 500 offers"
        assert progress_words(_run(fact(progress.LOADING))) == "Loading needs and offers"
        assert progress_words(_run("Scoring 3 needs")) == "Scoring 3 needs"  # an older row
        assert progress_words(_run()) == ""


def test_the_words_follow_the_readers_language(app):
    stored = fact(progress.ASSIGNING, pairs=12345)
    with app.test_request_context(), force_locale("fr"):
        words = progress_words(_run(stored))
    assert words.startswith("Répartition entre 12") and words.endswith("paires admissibles")


def test_failures_say_why_in_words(app):
    with app.test_request_context():
        assert "server log" in error_words(_run(error=fact(progress.SOLVE_FAILED)))
        reaped = error_words(_run(error=fact(progress.REAPED, why="worker_gone")))
        assert "stopped" in reaped
        infeasible = fact(progress.SOLVER, status="INFEASIBLE", detail="pins clash on need 4")
        assert error_words(_run(error=infeasible)).startswith("The round's pins and bars")
        other = fact(progress.SOLVER, status="FEASIBLE", detail="stopped at the time limit")
        assert error_words(_run(error=other)) == "stopped at the time limit"


def test_a_long_solver_message_keeps_the_fact_whole():
    stored = fact(progress.SOLVER, status="MODEL_INVALID", detail="x" * 1000)
    assert len(stored) <= 300 and json.loads(stored)["code"] == "solver"
