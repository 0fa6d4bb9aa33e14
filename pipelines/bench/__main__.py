import sys

from pipelines.bench.harness import main

sys.exit(main())
