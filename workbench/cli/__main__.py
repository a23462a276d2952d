"""`python -m workbench.cli`: the same as the `hrm-reason` console script."""

import sys

from workbench.cli import main

sys.exit(main())
