"""The migration to facts drops the solver's stored English sentences and tells each audit
entry the need it concerns (issue 10 items 1 and 10)."""

import json
import sqlite3

import flask_migrate

from tamatch import create_app
from tamatch.extensions import db

BEFORE = "26219004e1f1"  # the head before explanations became facts


def _old_rows(path) -> None:
    """Rows as the previous schema held them (written without the app: its models moved on)."""
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        INSERT INTO state (id, iso3, name, regional_group, is_ldc, is_sids, is_lldc)
        VALUES (1, 'NPL', 'Nepal', 'asia_pacific', 1, 0, 1);
        INSERT INTO organisation (id, name, kind) VALUES (1, 'A partner', 'un_entity');
        INSERT INTO offer (id, organisation_id, title, description, status, modality, capacity,
            budget, typical_cost, capacity_used, budget_used, window_start, window_end,
            eligible_all, eligible_ldc, eligible_sids, eligible_lldc, created_at, updated_at)
        VALUES (3, 1, 'An offer', 'Its text', 'open', 'remote', 1, 10, 10, 0, 0, '2027-01-01',
            '2027-06-30', 1, 0, 0, 0, '2026-12-01', '2026-12-01');
        INSERT INTO match_round (id, name, serves, status, submission_deadline, followup_months,
            weights, coverage_first, time_limit, created_at)
        VALUES (1, 'R', 'S', 'published', '2027-01-01', '[6]', '{}', 1, 5, '2026-12-01');
        INSERT INTO solve_run (id, round_id, label, pass_number, status, settings, progress,
            cancel_requested, error, solver_status, needs_entered, offers_entered, needs_served,
            created_at)
        VALUES (1, 1, '', 1, 'done', '{}', '', 0, '', 'OPTIMAL', 1, 1, 1, '2026-12-01'),
            (2, 1, '', 2, 'done', '{}', '', 0, '', 'OPTIMAL', 1, 1, 0, '2026-12-01');
        INSERT INTO need (id, state_id, title, gap, status, visibility, cost_min, cost_max,
            window_start, window_end, priority, created_at, updated_at)
        VALUES (7, 1, 'A confidential need', 'Its gap', 'open', 'confidential', 1, 2,
            '2027-01-01', '2027-06-30', 2, '2026-12-01', '2026-12-01');
        INSERT INTO run_outcome (id, run_id, need_id, offer_id, score, explanation, reason_code,
            reason, alternatives)
        VALUES (1, 1, 7, 3, 10, '["NPL is a least developed country: +10", "Total: 10"]', '',
            '', '[]'),
            (2, 2, 7, NULL, NULL, '[]', 'no_eligible_offer', 'No offer in French.', '[]');
        INSERT INTO proposal (id, outcome_id, run_id, round_id, need_id, offer_id, score, cost,
            status, state_decision, partner_decision, state_reason, partner_reason)
        VALUES (5, 1, 1, 1, 7, 3, 10, 10, 'pending', 'pending', 'pending', '', '');
        INSERT INTO audit_entry (id, at, action, object_type, object_id, after) VALUES
            (1, '2026-12-01', 'need.create', 'need', 7, '{"priority": 2}'),
            (2, '2026-12-01', 'proposal.declined', 'proposal', 5, '{"side": "state"}'),
            (3, '2026-12-01', 'round.pin', 'matchround', 1, '{"need_id": 7, "offer_id": 3}'),
            (4, '2026-12-01', 'round.participation', 'matchround', 1, '{"item": "need:7"}'),
            (5, '2026-12-01', 'round.update', 'matchround', 1, '{"name": "R"}'),
            (6, '2026-12-01', 'need.create', 'need', 99, NULL);
        """
    )
    connection.commit()
    connection.close()


def test_upgrade_drops_sentences_and_links_audit_entries_to_their_need(tmp_path):
    path = tmp_path / "old.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        db.engine.dispose()
        _old_rows(path)
        flask_migrate.upgrade()
        db.engine.dispose()
    connection = sqlite3.connect(path)
    outcomes = connection.execute(
        "SELECT id, explanation, reasons, reason_code FROM run_outcome ORDER BY id"
    ).fetchall()
    columns = {row[1] for row in connection.execute("PRAGMA table_info(run_outcome)")}
    needs = dict(connection.execute("SELECT id, need_id FROM audit_entry"))
    connection.close()
    assert [(i, json.loads(e), json.loads(r), c) for i, e, r, c in outcomes] == [
        (1, [], [], ""),
        (2, [], [], "no_eligible_offer"),  # the code stays: pages render it
    ]
    assert "reason" not in columns
    assert needs == {1: 7, 2: 7, 3: 7, 4: 7, 5: None, 6: None}
