"""`python -m workbench` is the same as `hrm-reason`."""

import sys

from workbench.cli import main

sys.exit(main())
