"""The home page of each role."""

from flask import Blueprint

bp = Blueprint("main", __name__)
