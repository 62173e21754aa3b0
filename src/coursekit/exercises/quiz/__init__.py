"""The quiz exercise (retrieval quizzes and the pre/post diagnostic): its kind (pure) and its widget."""
