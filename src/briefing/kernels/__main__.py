"""``python -m briefing.kernels``: the template process (started by :class:`briefing.kernels.KernelTemplate`)."""

import sys

from .template_process import _main

if __name__ == "__main__":
    _main(sys.argv[1:])
