"""The signals study's accounting (benchmarks/signals_study.py): what it counts as a planted behaviour found."""

from benchmarks import signals_study


def test_the_teams_pile_up_at_an_edge_counts_as_plan_design_not_as_a_rep_missed():
    # seed 2000's monthly export plants the team's pile-up at the 100% edge and no single edge rep; the pile-up is a
    # plan-design observation (it names no rep and no deals), so it is found there, on its own row, and the reps'
    # row is not charged with it (the study once read it as an edge rep missed in every export: 12 of 17)
    out = signals_study.planted_runs(1, "monthly", 12.0)
    assert out["edge_bunching" + signals_study.TEAM] == [1, 1]
    assert "edge_bunching" not in out
    assert all(found == planted for found, planted in out.values()), out
