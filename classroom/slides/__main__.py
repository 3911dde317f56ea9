import sys

from classroom.slides import main

sys.exit(main())
