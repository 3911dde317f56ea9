"""One checker module per exercise set: `lessonNN.py` declares exercises "NN.1", "NN.2", ... (see course/README.md).

`course.checks.check("NN.k", ...)` imports `lessonNN` the first time it meets one of its exercises.
"""
