@testable import Server
import Storage
import Testing

/// The access policy of DESIGN §14, written out by hand: for every operation and page, which of
/// the matrix's callers may. It is not computed from `Access`: the tests hold `Access` and the
/// running server to it, so a change to the policy is a change to this table too.
enum AccessPolicy {
    /// The columns, in order: kommune A's viewer, updater, editor and admin, kommune B's editor, the operator.
    static let columns = ["a-viewer", "a-updater", "a-editor", "a-admin", "b-editor", "ops"]

    /// `x`: may; `.`: may not.
    static let operations: [String: String] = [
        "createSession": "xxxxxx", "getSession": "xxxxxx", "deleteSession": "xxxxxx",
        "listAreas": "xxxxxx", "listMeasures": "xxxxxx", "listObservations": "xxxxxx",
        "listTokens": "xxxxxx", "createToken": "xxxxxx", "revokeToken": "xxxxxx",
        "importNational": ".....x", "listAudit": ".....x",
        "importLocal": "..xx..",
        "listPlans": "xxxx.x", "getPlan": "xxxx.x", "getEvaluation": "xxxx.x", "listPlanVersions": "xxxx.x", "diffPlan": "xxxx.x",
        "savePlan": "..xx..", "carryForwardPlan": "..xx..", "approvePlan": "..xx..",
        "listAssessments": "xxxx.x", "addAssessment": ".xxx..",
        "getFollowUpStatus": "xxxx.x", "finalizeFollowUp": "..xx..",
        "getReport": "xxxx.x", "getYearwheel": "xxxx.x", "getYearwheelCalendar": "xxxx.x",
        "getPublication": "xxxx.x", "setPublication": "...x..",
        "listUsers": "...x..", "createUser": "...x..", "updateUser": "...x..", "listKommuneAudit": "...x..",
    ]

    static let pages: [PageID: String] = [
        .home: "xxxxxx", .login: "xxxxxx", .logout: "xxxxxx",
        .dashboard: "xxxx.x", .target: "xxxx.x", .plan: "xxxx.x", .versions: "xxxx.x", .followUp: "xxxx.x",
        .yearwheel: "xxxx.x", .compare: "xxxx.x", .data: "xxxx.x", .template: "xxxx.x", .publicPage: "xxxx.x",
        .addNote: ".xxx..",
        .savePlan: "..xx..", .planFields: "..xx..", .checkPlan: "..xx..", .savePlanFields: "..xx..", .approvePlan: "..xx..",
        .carryForward: "..xx..", .finalizeFollowUp: "..xx..", .upload: "..xx..", .localFigures: "..xx..",
        .admin: "...x..", .addUser: "...x..", .changeUser: "...x..", .createToken: "...x..", .revokeToken: "...x..",
    ]

    /// What an anonymous visitor may (besides the public page of a kommune that publishes).
    static let anonymousOperations: Set<String> = ["createSession"]
    static let anonymousPages: Set<PageID> = [.home, .login]

    static func allows(_ row: String?, _ caller: String) -> Bool {
        guard let row, let i = columns.firstIndex(of: caller) else { return false }
        return row[row.index(row.startIndex, offsetBy: i)] == "x"
    }

    static func allows(operation: String, _ caller: String) -> Bool { allows(operations[operation], caller) }
    static func allows(page: PageID, _ caller: String) -> Bool { allows(pages[page], caller) }
}

@Suite("Access policy")
struct AccessPolicyTests {
    @Test("Access decides as the hand-written table says, for every operation, page and caller")
    func accessIsThePolicy() {
        #expect(Set(AccessPolicy.operations.keys) == Set(Access.operations.keys))
        #expect(Set(AccessPolicy.pages.keys) == Set(PageID.allCases))
        for caller in TestServer.callers {
            let account = Account(username: caller.name, kommune: caller.kommune, role: caller.role, passwordHash: "")
            for (operation, _) in AccessPolicy.operations {
                let allowed = Access.decide(Access.operations[operation], caller: account, kommune: TestServer.kommuneA) == .allow
                #expect(allowed == AccessPolicy.allows(operation: operation, caller.name), "\(caller.name) \(operation)")
            }
            for page in PageID.allCases {
                let allowed = Access.decide(Access.need(page), caller: account, kommune: TestServer.kommuneA) == .allow
                #expect(allowed == AccessPolicy.allows(page: page, caller.name), "\(caller.name) \(page)")
            }
        }
        for (operation, _) in AccessPolicy.operations {
            let allowed = Access.decide(Access.operations[operation], caller: nil, kommune: TestServer.kommuneA) == .allow
            #expect(allowed == AccessPolicy.anonymousOperations.contains(operation), "anonymous \(operation)")
        }
        for page in PageID.allCases {
            let allowed = Access.decide(Access.need(page), caller: nil, kommune: TestServer.kommuneA) == .allow
            #expect(allowed == AccessPolicy.anonymousPages.contains(page), "anonymous \(page)")
        }
        // A disabled user is nobody; an operation the table does not name is nobody's.
        let disabled = Account(username: "x", kommune: TestServer.kommuneA, role: .admin, passwordHash: "", disabled: true)
        #expect(Access.decide(Access.operations["listPlans"], caller: disabled, kommune: TestServer.kommuneA) == .unauthenticated)
        #expect(Access.decide(nil, caller: Account(username: "o", kommune: nil, role: .operator, passwordHash: ""), kommune: nil) != .allow)
    }
}
