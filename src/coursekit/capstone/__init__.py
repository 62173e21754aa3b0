"""The capstone's pure logic: inputs from the learner's answers, and its checks."""
