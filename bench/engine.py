"""Time the default rule set with full trace against zen-engine and JsonLogic on the same profiles."""

from __future__ import annotations

from typing import Any

from questionnaire import engine as core
from questionnaire.flow import visible_answers
from questionnaire.model import RuleSet

from .peers import JsonLogicPeer, ZenDecisionPeer, ZenExpressionPeer
from .profiles import Answers
from .timing import interleaved, time_each


def agreement(ruleset: RuleSet, profiles: list[tuple[str, Answers]], peers: list[Any]) -> dict[str, Any]:
    """Check that every peer fires exactly the rules ``assess`` fires, for every profile."""
    result: dict[str, Any] = {"profiles": len(profiles), "rules": len(ruleset.rules) + len(ruleset.urgent)}
    for peer in peers:
        mismatches = []
        for name, answers in profiles:
            ours = core.assess(ruleset, answers).fired
            theirs = peer.fired(peer.evaluate(peer.prepare(visible_answers(ruleset, answers))))
            if theirs != ours:
                mismatches.append({"profile": name, "rules": sorted(k for k in ours if ours[k] != theirs.get(k))})
        result[peer.name] = {"agree": not mismatches, "mismatches": mismatches[:5]}
    result["all_agree"] = all(result[p.name]["agree"] for p in peers)
    return result


def calibrate_zen(peer: ZenDecisionPeer, profiles: list[tuple[str, Answers]], ruleset: RuleSet) -> str:
    """Give zen-engine whichever input it evaluates faster, a dict or JSON text; return which."""
    shown = [visible_answers(ruleset, a) for _, a in profiles[:100]]
    best: dict[str, float] = {}
    for as_text in (False, True):
        peer.as_text = as_text
        inputs = [peer.prepare(s) for s in shown]
        time_each(peer.evaluate, inputs)
        times = sorted(time_each(peer.evaluate, inputs))
        best["json text" if as_text else "dict"] = times[len(times) // 2]
    choice = min(best, key=best.__getitem__)
    peer.as_text = choice == "json text"
    return choice


def run(ruleset: RuleSet, profiles: list[tuple[str, Answers]], rounds: int) -> dict[str, Any]:
    """Measure our engine (full trace, visibility included) and the peers (evaluation only)."""
    peers: list[Any] = [ZenDecisionPeer(ruleset), ZenExpressionPeer(ruleset), JsonLogicPeer(ruleset)]
    zen_input = calibrate_zen(peers[0], profiles, ruleset)
    raw = [a for _, a in profiles]
    shown = [visible_answers(ruleset, a) for a in raw]
    contenders = {
        "ours (assess, full trace)": (lambda a: core.assess(ruleset, a), raw),
        "ours (which rules fire only)": (lambda a: core.fired(ruleset, a), raw),
    }
    for peer in peers:
        # Peers get answers already pruned by visibility, converted to their input form, outside the timing.
        contenders[peer.name] = (peer.evaluate, [peer.prepare(s) for s in shown])
    timings = interleaved(contenders, rounds)
    ours = timings["ours (assess, full trace)"]["median_us"]
    for figures in timings.values():
        figures["ratio_to_ours"] = figures["median_us"] / ours
    return {
        "rules": len(ruleset.rules),
        "urgent_notices": len(ruleset.urgent),
        "profiles": len(profiles),
        "rounds": rounds,
        "zen_input": zen_input,
        "timings": timings,
        "agreement": agreement(ruleset, profiles, peers),
    }
