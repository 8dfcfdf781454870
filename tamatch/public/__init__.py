"""Public pages: aggregate figures for anyone, and each State's page for its peers."""

from flask import Blueprint

bp = Blueprint("public", __name__)
