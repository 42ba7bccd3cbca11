import BeskplanCore

/// The kommune's aggregate over a period against a number.
enum Threshold {
    static func evaluate(_ rule: ThresholdRule, _ base: Outcome.Base) -> TargetEvaluation {
        let c = base.context
        let figure: Figure
        switch c.figure(rule.measure, area: c.kommune.code, select: rule.select, period: rule.period, aggregate: rule.aggregate) {
        case .success(let f): figure = f
        case .failure(let missing): return base.missing([missing])
        }
        let over = rule.period.lastDay <= c.asOf
        let exemption = exemption(rule, c)
        let met = rule.op.holds(figure.value, rule.value) && exemption.withinCap
        let withinRed = exemption.withinCap && (rule.redFlag.map { rule.op.holds(figure.value, $0) } ?? false)
        let status = Outcome.status(met: met, over: over, withinRedFlag: withinRed)
        let unit = base.definition(rule.measure)?.unit
        let text = Explanation.text(.threshold, [
            "subject": Sentence.subject(rule.measure, rule.select, base), "value": Sentence.value(figure.value, unit),
            "when": Sentence.when(figure, rule.aggregate, base), "comparison": Sentence.comparison(rule.op),
            "goal": Sentence.goal(rule.value, unit), "redFlag": Sentence.redFlag(rule.redFlag, unit), "exemption": exemption.text,
            "status": status.label,
        ])
        return base.result(
            status, value: figure.value, benchmark: rule.value, unit: unit, figures: [figure] + exemption.figures, explanation: text)
    }

    /// The 75 % rule's share counts only while the kommune exempts at most 25 %: its exempted
    /// share for the same period, read beside it. Any other threshold has no cap.
    private static func exemption(
        _ rule: ThresholdRule, _ c: EvaluationContext
    ) -> (withinCap: Bool, text: String, figures: [Figure]) {
        guard rule.measure == SeventyFivePercent.share else { return (true, "", []) }
        let cap = SeventyFivePercent.exemptionCap
        guard case .success(let exempted) = c.figure(
            SeventyFivePercent.exempted, area: c.kommune.code, select: nil, period: rule.period, aggregate: rule.aggregate)
        else {
            return (true, "; andelen undtaget er ikke oplyst", [])
        }
        let value = Sentence.value(exempted.value, .procent)
        return exempted.value <= cap
            ? (true, "; undtaget: \(value) (højst \(Sentence.goal(cap, .procent)))", [exempted])
            : (false, "; men kommunen har undtaget \(value), mere end de højst \(Sentence.goal(cap, .procent)), reglen tillader", [exempted])
    }
}

/// The kommune's figure against another area's, or an expected series, with an offset.
enum Benchmark {
    static func evaluate(_ rule: BenchmarkRule, _ base: Outcome.Base) -> TargetEvaluation {
        let c = base.context
        let own = c.figure(rule.measure, area: c.kommune.code, select: rule.select, period: rule.period, aggregate: rule.aggregate)
        let other: Result<Figure, MissingSeries>
        let otherName: String
        switch rule.against {
        case .expected(let measure):
            other = c.figure(measure, area: c.kommune.code, select: rule.select, period: rule.period, aggregate: rule.aggregate)
            otherName = "det forventede niveau"
        default:
            guard let area = c.area(rule.against) else {
                return base.result(.manglerData, explanation: rule.against.missingExplanation)
            }
            other = c.figure(rule.measure, area: area.code, select: rule.select, period: rule.period, aggregate: rule.aggregate)
            otherName = Sentence.areaName(area)
        }
        guard case .success(let k) = own, case .success(let b) = other else {
            return base.missing([own.missingSeries, other.missingSeries].compactMap { $0 })
        }
        let offset = rule.offset ?? 0
        let target = rule.offsetUnit == .percent ? b.value * (1 + offset / 100) : b.value + offset
        let met = rule.op.holds(k.value, target)
        let status = Outcome.status(met: met, over: rule.period.lastDay <= c.asOf)
        let unit = base.definition(rule.measure)?.unit
        let text = Explanation.text(.benchmark, [
            "subject": Sentence.subject(rule.measure, rule.select, base), "value": Sentence.value(k.value, unit),
            "when": Sentence.when(k, rule.aggregate, base), "expected": rule.against.isExpected,
            "other": Sentence.value(b.value, unit), "otherName": otherName,
            "goal": Sentence.relative(rule.op, offset: offset, unit: rule.offsetUnit, to: otherName), "status": status.label,
        ])
        return base.result(status, value: k.value, benchmark: b.value, unit: unit, figures: [k, b], explanation: text)
    }
}

/// The kommune's development between two periods against the benchmark's.
enum Development {
    struct Change {
        let value: Double
        /// `procentpoint` for shares, `procent` for counts.
        let unit: MeasureUnit
        let figures: [Figure]
        let published: Bool
    }

    static func evaluate(_ rule: DevelopmentRule, _ base: Outcome.Base) -> TargetEvaluation {
        let c = base.context
        guard let benchArea = c.area(rule.against) else {
            return base.result(.manglerData, explanation: rule.against.missingExplanation)
        }
        let benchCode: AreaCode
        let benchMeasure: MeasureID
        if case .expected(let m) = rule.against {
            benchCode = c.kommune.code
            benchMeasure = m
        } else {
            benchCode = benchArea.code
            benchMeasure = rule.measure
        }
        let own = change(rule.measure, c.kommune.code, rule, base)
        let other = change(benchMeasure, benchCode, rule, base)
        guard case .success(let k) = own, case .success(let b) = other else {
            return base.missing([own.missingSeries, other.missingSeries].compactMap { $0 })
        }
        let polarity = base.definition(rule.measure)?.polarity ?? .neutral
        let tolerance = rule.tolerance ?? 0
        let met: Bool
        switch polarity {
        case .higher: met = k.value >= b.value - tolerance
        case .lower: met = k.value <= b.value + tolerance
        case .neutral: met = abs(k.value - b.value) <= max(tolerance, 0.05)
        }
        let status = Outcome.status(met: met, over: rule.to.lastDay <= c.asOf)
        let otherName = rule.against.isExpected ? "den forventede udvikling" : Sentence.areaName(benchArea)
        let goalText: String
        switch polarity {
        case .higher: goalText = "en udvikling mindst på niveau med \(otherName)"
        case .lower: goalText = "en udvikling højst på niveau med \(otherName)"
        case .neutral: goalText = "en udvikling på niveau med \(otherName)"
        }
        let text = Explanation.text(.development, [
            "subject": Sentence.subject(rule.measure, rule.select, base).lowercasedFirst(), "from": rule.from.danishLabel,
            "to": rule.to.danishLabel, "own": Sentence.signed(k.value, k.unit), "other": Sentence.signed(b.value, b.unit),
            "otherName": otherName, "published": k.published || b.published, "goal": goalText, "status": status.label,
        ])
        return base.result(
            status, value: k.value, benchmark: b.value, unit: k.unit, figures: k.figures + b.figures, explanation: text)
    }

    /// The change from `from` to `to`: procentpoint for shares, percent for counts; else the
    /// development as the source published it (`<measure>.udvikling`, year on year).
    static func change(_ measure: MeasureID, _ area: AreaCode, _ rule: DevelopmentRule, _ base: Outcome.Base)
        -> Result<Change, MissingSeries>
    {
        let c = base.context
        let unit = c.measures[measure]?.unit ?? .antal
        let isShare = unit == .procent || unit == .procentpoint
        let from = c.figure(measure, area: area, select: rule.select, period: rule.from, aggregate: nil)
        let to = c.figure(measure, area: area, select: rule.select, period: rule.to, aggregate: nil)
        if case .success(let a) = from, case .success(let b) = to, isShare || a.value != 0 {
            let value = isShare ? b.value - a.value : (b.value - a.value) / a.value * 100
            return .success(Change(value: value, unit: isShare ? .procentpoint : .procent, figures: [a, b], published: false))
        }
        let published = measure + ".udvikling"
        if let definition = c.measures[published], rule.from == rule.to.sameInPreviousYear,
            case .success(let p) = c.figure(published, area: area, select: rule.select, period: rule.to, aggregate: nil)
        {
            return .success(Change(value: p.value, unit: definition.unit, figures: [p], published: true))
        }
        return .failure(from.missingSeries ?? to.missingSeries!)
    }
}

/// The kommune's own change between two periods.
enum Change {
    static func evaluate(_ rule: ChangeRule, _ base: Outcome.Base) -> TargetEvaluation {
        let c = base.context
        let from = c.figure(rule.measure, area: c.kommune.code, select: rule.select, period: rule.from, aggregate: rule.aggregate)
        let to = c.figure(rule.measure, area: c.kommune.code, select: rule.select, period: rule.to, aggregate: rule.aggregate)
        guard case .success(let a) = from, case .success(let b) = to else {
            return base.missing([from.missingSeries, to.missingSeries].compactMap { $0 })
        }
        let met: Bool
        let goalText: String
        switch rule.direction {
        case .increase:
            met = b.value > a.value
            goalText = "en stigning fra \(rule.from.danishLabel)"
        case .decrease:
            met = b.value < a.value
            goalText = "et fald fra \(rule.from.danishLabel)"
        case .keep:
            met = b.value >= a.value
            goalText = "mindst niveauet fra \(rule.from.danishLabel)"
        case .noIncrease:
            met = b.value <= a.value
            goalText = "højst niveauet fra \(rule.from.danishLabel)"
        }
        let status = Outcome.status(met: met, over: rule.to.lastDay <= c.asOf)
        let unit = base.definition(rule.measure)?.unit
        let text = Explanation.text(.change, [
            "subject": Sentence.subject(rule.measure, rule.select, base), "value": Sentence.value(b.value, unit),
            "when": Sentence.when(b, rule.aggregate, base), "before": Sentence.value(a.value, unit), "from": rule.from.danishLabel,
            "goal": goalText, "status": status.label,
        ])
        return base.result(status, value: b.value, benchmark: a.value, unit: unit, figures: [a, b], explanation: text)
    }
}

/// A threshold to reach by a later period, judged on the straight line from the baseline.
enum Deadline {
    static func evaluate(_ rule: DeadlineRule, _ base: Outcome.Base) -> TargetEvaluation {
        let c = base.context
        let unit = base.definition(rule.measure)?.unit
        let subject = Sentence.subject(rule.measure, rule.select, base)
        let goalText = "\(Sentence.comparison(rule.op)) \(Sentence.goal(rule.value, unit)) i \(rule.deadline.danishLabel)"
        if rule.deadline.lastDay <= c.asOf {
            switch c.figure(rule.measure, area: c.kommune.code, select: rule.select, period: rule.deadline, aggregate: nil) {
            case .failure(let missing): return base.missing([missing])
            case .success(let f):
                let status: EvaluationStatus = rule.op.holds(f.value, rule.value) ? .opfyldt : .ikkeOpfyldt
                return base.result(
                    status, value: f.value, benchmark: rule.value, unit: unit, figures: [f],
                    explanation: Explanation.text(.deadlineReached, [
                        "subject": subject, "value": Sentence.value(f.value, unit), "deadline": rule.deadline.danishLabel,
                        "goal": goalText, "status": status.label,
                    ]))
            }
        }
        let key = SeriesKey(measure: rule.measure, area: c.kommune.code, dimensions: rule.select ?? [:])
        let baseline = c.figure(rule.measure, area: c.kommune.code, select: rule.select, period: rule.baseline, aggregate: nil)
        guard case .success(let b0) = baseline else { return base.missing([baseline.missingSeries!]) }
        let latest = c.data.points(key).last {
            $0.period.lastDay <= c.asOf && $0.period.granularity == rule.baseline.granularity && $0.period >= rule.baseline
        }
        guard let latest else { return base.missing([baseline.missingSeries ?? MissingSeries(key: key, period: rule.baseline, areaName: c.kommune.name)]) }
        let span = Double(rule.deadline.firstDay.number - rule.baseline.firstDay.number)
        let fraction = span > 0 ? Double(latest.period.firstDay.number - rule.baseline.firstDay.number) / span : 1
        let expected = b0.value + (rule.value - b0.value) * fraction
        let onTrack = rule.op.holds(latest.value, rule.value)
            || (rule.op == .atLeast || rule.op == .above ? latest.value >= expected : latest.value <= expected)
        let status: EvaluationStatus = onTrack ? .paaVej : .iRisiko
        let figure = Figure(
            measure: rule.measure, area: c.kommune.code, dimensions: key.dimensions, period: latest.period,
            value: latest.value, observations: 1, complete: true)
        let text = Explanation.text(.deadlineOnTheWay, [
            "subject": subject, "value": Sentence.value(latest.value, unit), "period": latest.period.danishLabel, "goal": goalText,
            "baseline": Sentence.value(b0.value, unit), "baselinePeriod": rule.baseline.danishLabel,
            "expected": Sentence.value(expected, unit), "status": status.label,
        ])
        return base.result(status, value: latest.value, benchmark: expected, unit: unit, figures: [b0, figure], explanation: text)
    }
}

/// A qualitative target: the hand assessment, if there is one.
enum Milestone {
    static func evaluate(_ rule: MilestoneRule, _ base: Outcome.Base) -> TargetEvaluation {
        // Who assesses it is the year's: jobcentret until 2026, kommunen from then (`YearRules`).
        let assessor = YearRules.of(base.context.plan.year).organisationDefinite
        if base.context.assessmentsWithheld {
            return base.result(.afventerVurdering, explanation: Explanation.text(.milestoneWithheld, ["assessor": assessor]))
        }
        guard let a = base.context.assessments[base.target.id] else {
            return base.result(.afventerVurdering, explanation: Explanation.text(.milestoneWaiting, ["assessor": assessor]))
        }
        return base.result(a.status, explanation: Explanation.text(.milestoneAssessed, [
            "date": a.date, "hasAuthor": !a.author.isEmpty, "author": a.author, "hasNote": !a.note.isEmpty, "note": a.note,
            "status": a.status.label,
        ]))
    }
}

extension Result where Failure == MissingSeries {
    var missingSeries: MissingSeries? {
        if case .failure(let m) = self { return m }
        return nil
    }
}

extension BenchmarkArea {
    var isExpected: Bool {
        if case .expected = self { return true }
        return false
    }

    /// Why a comparison with this area is not made when beskplan has no such area.
    var missingExplanation: String {
        self == .rar
            ? "beskplan har ikke tal for RAR-områderne; sammenlign med regionen (against: region) — ikke vurderet."
            : "Sammenligningsområdet findes ikke — ikke vurderet."
    }
}
