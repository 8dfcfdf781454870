"""Follow-up of engagements: reports, evidence, comments, outcomes, figures, practices."""

from flask import Blueprint

bp = Blueprint("followup", __name__)
