"""The one exception monitoring's services raise when they say no."""

from core.refusals import StepRefused


class Refused(StepRefused):
    """A service said no; `message` tells the user why."""
