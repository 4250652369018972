from bedside.publishing.tasks import SWEEP_PRIORITY, deliver, sweep_deliveries


def test_the_sweeper_overtakes_queued_deliveries():
    # A dead worker's deliveries are found by the sweeper: it must not wait behind a backlog.
    assert sweep_deliveries.s().priority == SWEEP_PRIORITY == 100
    assert deliver.s(1).priority in (None, 0)
