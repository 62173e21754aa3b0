"""What a hand-in keeps of a brief's plan section: the currency (the room groups money by it) and whether a module's
tester passed; never the company's name."""
from coursekit.room.exchange import for_room


def _brief(company, came):
    return {"schema": "coursekit-brief/2", "version": 2, "learner": "ann",
            "sections": [{"id": "plans", "number": 3, "heading": "Plan", "filled": True,
                          "data": {"changes": [], "aligned": {}, "population": {"proposed": {"cost_of_sales_pct": "9.1"}},
                                   "company": company, "from": came}}]}


def test_currency_and_tester_result_reach_the_room_but_not_the_company_name():
    sent = for_room(_brief({"name": "Quillon Orchard Sensing", "currency": "CHF"}, {"passed": True, "note": "x"}))
    data = sent["sections"][0]["data"]
    assert data["company"] == {"currency": "CHF"}
    assert data["from"] == {"passed": True}
    assert sent["version"] == 2
    assert "Quillon" not in repr(sent)


def test_malformed_company_or_source_is_left_out():
    data = for_room(_brief("CHF", "passed"))["sections"][0]["data"]
    assert "company" not in data and "from" not in data
