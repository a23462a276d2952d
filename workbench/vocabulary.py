"""The names the workbench's typed data is made of: roles, task types, sources, plan steps,
states and event kinds — plain enums, no pydantic.

Kept apart from `workbench.domain` (which re-exports them) so that a command needing only
these names, such as `hrm-reason knowledge search`, does not build the pydantic models of
every run event on a cold start (a third of a second on 2 busy cores).
"""

from __future__ import annotations

from enum import Enum, StrEnum


class Role(str, Enum):
    """The three model roles of the seed; each maps to a model tag in settings."""

    REASONING = "reasoning"
    CODER = "coder"
    MATH = "math"


class TaskType(str, Enum):
    """What a query (or one subtask) is about; a query may carry several."""

    FAUST = "faust"
    JUCE = "juce"
    FAUST_JUCE = "faust_juce"
    CPP = "cpp"
    PYTHON = "python"
    MATH = "math"
    PHYSICS = "physics"
    ARCHITECTURE = "architecture"
    PLANNING = "planning"
    DEBUGGING = "debugging"
    PERFORMANCE = "performance"
    GENERAL = "general"


class Strategy(str, Enum):
    DIRECT = "direct"
    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"
    HIERARCHICAL = "hierarchical"


class Method(str, Enum):
    """Which engine produced an analysis or a plan."""

    RULES = "rules"
    HRM = "hrm"
    PLANNER = "planner"


class ExpectedOutput(str, Enum):
    FAUST_CODE = "faust_code"
    CPP_CODE = "cpp_code"
    PYTHON_CODE = "python_code"
    TEXT = "text"
    MATH = "math"


class DocSource(str, Enum):
    """Documentation a subtask asks the retrieval layer for."""

    FAUST_LIBRARIES = "faust_libraries"
    FAUST_EXAMPLES = "faust_examples"
    JUCE_HEADERS = "juce_headers"
    PRIMERS = "primers"
    PROJECT_FILES = "project_files"


class PlanStep(str, Enum):
    """The step vocabulary of the decomposition engine.

    Templates are built from these steps, and the HRM network predicts which of them a
    plan should include (a multi-label head over this enum), so adding a step here is
    the one change both need.
    """

    ANSWER = "answer"  # a direct, single-step answer
    # FAUST
    ALGORITHM_DESIGN = "algorithm_design"
    FAUST_IMPLEMENTATION = "faust_implementation"
    FAUST_TESTING = "faust_testing"
    # JUCE
    PLUGIN_ARCHITECTURE = "plugin_architecture"
    AUDIO_PROCESSING = "audio_processing"
    PARAMETERS = "parameters"
    GUI = "gui"
    INTEGRATION = "integration"
    BUILD_CONFIGURATION = "build_configuration"
    # combined FAUST + JUCE
    SYSTEM_DESIGN = "system_design"
    FAUST_DSP = "faust_dsp"
    JUCE_INTEGRATION = "juce_integration"
    OPTIMIZATION = "optimization"
    # general code
    IMPLEMENTATION = "implementation"
    TESTING = "testing"
    # math / physics
    MODEL_FORMULATION = "model_formulation"
    DERIVATION = "derivation"
    NUMERICAL_CHECK = "numerical_check"
    # debugging
    REPRODUCE = "reproduce"
    HYPOTHESES = "hypotheses"
    VERIFY = "verify"
    FIX = "fix"
    # performance
    PROFILE = "profile"
    BOTTLENECKS = "bottlenecks"
    CHANGES = "changes"
    MEASURE = "measure"
    # architecture / planning
    CONSTRAINTS = "constraints"
    OPTIONS = "options"
    TRADE_OFFS = "trade_offs"
    RECOMMENDATION = "recommendation"


class RunStatus(StrEnum):
    """A run's state (the `runs.status` column keeps these strings)."""

    RUNNING = "running"
    COMPLETE = "complete"
    PARTIAL = "partial"  # some of the answer: finished subtasks, or text streamed before an error
    ERROR = "error"
    CANCELLED = "cancelled"


class SubtaskStatus(StrEnum):
    """A subtask's state (the `subtasks.status` column keeps these strings)."""

    PENDING = "pending"
    QUEUED = "queued"  # waiting for a free slot on its backend
    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"
    SKIPPED = "skipped"  # an upstream subtask failed
    CANCELLED = "cancelled"


class MessageStatus(StrEnum):
    """A chat message's state (the `messages.status` column keeps these strings)."""

    STREAMING = "streaming"
    COMPLETE = "complete"
    PARTIAL = "partial"
    ERROR = "error"

    @classmethod
    def of_run(cls, status: RunStatus) -> MessageStatus:
        """What the answer's message says when its run ends: a stopped run kept its text."""
        return cls.PARTIAL if status == RunStatus.CANCELLED else cls(status.value)



class EventKind(str, Enum):
    RUN_STARTED = "run_started"
    PLAN = "plan"
    SUBTASK_QUEUED = "subtask_queued"  # waiting for a free slot on its backend
    SUBTASK_STARTED = "subtask_started"
    TOKEN = "token"
    THINKING = "thinking"
    SUBTASK_DONE = "subtask_done"
    SUBTASK_FAILED = "subtask_failed"
    SUBTASK_SKIPPED = "subtask_skipped"
    VALIDATION = "validation"
    SYNTHESIS_STARTED = "synthesis_started"
    STEP_TIMED = "step_timed"  # a step the engine timed, for the run's timeline
    PREPARING = "preparing"  # a one-time wait before a step (a model load, a header build)
    RUN_DONE = "run_done"
    RUN_FAILED = "run_failed"
