"""Match rounds: settings, participation, solving, review, publication and consent."""

from flask import Blueprint

bp = Blueprint("rounds", __name__)
