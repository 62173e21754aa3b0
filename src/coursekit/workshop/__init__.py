"""Running the course: timing, agenda, links, present mode, the learner's workspace."""
