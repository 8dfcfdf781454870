"""Needs: what States ask for, tied to the recommendations they answer."""

from flask import Blueprint

bp = Blueprint("needs", __name__)
