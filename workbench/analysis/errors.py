"""The one error the analysis raises for bad input; the CLI turns it into exit code 2."""


class AnalysisInputError(ValueError):
    """The path or question given cannot be analysed; the message says what to do."""
