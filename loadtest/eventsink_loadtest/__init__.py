"""The EventSink load tests as a package: one module per Locust user class, plus what they share.

The entry point is loadtest/locustfile.py (``locust -f loadtest/locustfile.py``): it imports the five
user classes and installs the run hooks (gate options, default class, gate, CSV flush, tally file).

  epas, contract       EPAS facts and the HTTP contract's response checks
  player_session       the player session EventSinkUser and HighVolumeEventSinkUser simulate
  invalid_events       the bad input InvalidEventUser sends (and BatchEventSinkUser slips into batches)
  cmcd                 CMCD v2 records and sessions for CmcdEventUser
  tally                what the users were told was stored, for ci-gate.sh
  hooks                class weights, the default class, the pass/fail gate, the CSV flush, the tally file
  shadowing            the guard that no simulated behaviour replaces a Locust User attribute
  *_user               one user class each

Modules import one another by absolute name (eventsink_loadtest.x), never relatively, and only at
import time: Locust puts the locustfile's directory on sys.path only while it imports the locustfile.
Importing a module registers nothing with Locust; hooks.install() does, once.
"""
