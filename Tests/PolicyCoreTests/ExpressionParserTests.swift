import Testing
@testable import PolicyCore

@Suite struct ExpressionParserTests {
    func parsed(_ source: String) throws -> String {
        try ExpressionParser.parse(source).description
    }

    func syntaxError(_ source: String) -> ExpressionParser.SyntaxError? {
        do {
            _ = try ExpressionParser.parse(source)
            return nil
        } catch {
            return error
        }
    }

    @Test func precedenceNotBindsTighterThanAndThanOr() throws {
        #expect(try parsed("a or b and c") == "(a or (b and c))")
        #expect(try parsed("a and b or c") == "((a and b) or c)")
        #expect(try parsed("not a and b") == "((not a) and b)")
        #expect(try parsed("not a or not b and c") == "((not a) or ((not b) and c))")
        #expect(try parsed("not not a") == "(not (not a))")
        #expect(try parsed("service and not blocked or site-member") == "((service and (not blocked)) or site-member)")
    }

    @Test func operatorsOfOneLevelCollectIntoOneList() throws {
        #expect(try parsed("a or b or c") == "(a or b or c)")
        #expect(try parsed("a and b and c") == "(a and b and c)")
    }

    @Test func parenthesesGroup() throws {
        #expect(try parsed("(a or b) and c") == "((a or b) and c)")
        #expect(try parsed("not (a or b)") == "(not (a or b))")
        #expect(try parsed("((a))") == "a")
        #expect(try parsed("(a)and(b)") == "(a and b)")
    }

    @Test func parenthesesNeedNoSpaces() throws {
        #expect(try parsed("not(a)") == "(not a)")
        #expect(try parsed("(a or b)") == "(a or b)")
    }

    @Test func whitespaceIsSpaceTabCarriageReturnAndNewline() throws {
        #expect(try parsed("a\tor\nb\r\nand  c") == "(a or (b and c))")
        #expect(syntaxError("a\u{0B}or b") != nil, "vertical tab is not whitespace")
        #expect(syntaxError("a\u{A0}or b") != nil, "no-break space is not whitespace")
    }

    @Test func keywordsAreExactlyLowerCase() throws {
        #expect(try parsed("OR") == "OR")
        #expect(try parsed("Not and And") == "(Not and And)")
        #expect(try parsed("order or notary or andes") == "(order or notary or andes)")
        #expect(try parsed("not:me") == "not:me")
        #expect(try parsed("not not:me") == "(not not:me)")
    }

    @Test func roleNamesUseTheirCharacterSet() throws {
        #expect(try parsed("9lives or _hidden or ns:viewer or site.manager or or-else") ==
            "(9lives or _hidden or ns:viewer or site.manager or or-else)")
        #expect(try parsed("a-b.c:d_e") == "a-b.c:d_e")
    }

    @Test func roleReferencesCarryTheirByteSpans() throws {
        let references = try ExpressionParser.parse("admin or  not viewer").roleReferences
        #expect(references.map(\.name) == ["admin", "viewer"])
        #expect(references.map(\.span) == [0..<5, 14..<20])
    }

    @Test(arguments: [
        ("", 0, "expected a role name or '(', found the end of the expression"),
        ("   ", 3, "expected a role name or '(', found the end of the expression"),
        ("admin or", 8, "expected a role name or '(', found the end of the expression"),
        ("admin and", 9, "expected a role name or '(', found the end of the expression"),
        ("not", 3, "expected a role name or '(', found the end of the expression"),
        ("or admin", 0, "expected a role name or '(', found keyword 'or'"),
        ("admin or or b", 9, "expected a role name or '(', found keyword 'or'"),
        ("admin and and b", 10, "expected a role name or '(', found keyword 'and'"),
        ("admin viewer", 6, "expected 'and', 'or' or the end of the expression, found role 'viewer'"),
        ("admin not viewer", 6, "expected 'and', 'or' or the end of the expression, found keyword 'not'"),
        ("(admin", 6, "expected ')' to close '(', found the end of the expression"),
        ("(admin viewer)", 7, "expected ')' to close '(', found role 'viewer'"),
        ("admin)", 5, "unexpected ')' with no matching '('"),
        ("()", 1, "expected a role name or '(', found ')'"),
        ("admin && viewer", 6, "unexpected character '&'"),
        ("admin || viewer", 6, "unexpected character '|'"),
        ("!admin", 0, "unexpected character '!'"),
        ("-admin", 0, "unexpected character '-'"),
        (".admin", 0, "unexpected character '.'"),
        ("admin or vïewer", 10, "unexpected character 'ï'"),
        ("{root_group}", 0, "unexpected character '{'"),
    ])
    func syntaxErrorsPointAtTheOffendingToken(source: String, offset: Int, message: String) {
        let error = syntaxError(source)
        #expect(error?.offset == offset, "\(source)")
        #expect(error?.message == message, "\(source)")
        #expect(error?.isTooDeep == false)
    }

    @Test func nestingIsBounded() throws {
        let deepNot = String(repeating: "not ", count: ExpressionParser.maximumDepth + 1) + "a"
        #expect(syntaxError(deepNot)?.isTooDeep == true)
        let deepParentheses = String(repeating: "(", count: 500) + "a" + String(repeating: ")", count: 500)
        #expect(syntaxError(deepParentheses)?.isTooDeep == true)
        let fine = String(repeating: "(", count: 50) + "a" + String(repeating: ")", count: 50)
        #expect(try parsed(fine) == "a")
    }

    @Test func evaluationShortCircuitsAndFollowsTheTree() throws {
        let roles: [ByteString: Int] = [ByteString("a"): 0, ByteString("b"): 1, ByteString("c"): 2]
        var program = ExpressionProgram()
        let root = program.append(try ExpressionParser.parse("a or not b and c"), roleIndex: roles)
        func evaluate(_ held: Set<Int>) -> (Bool, [Int]) {
            var asked: [Int] = []
            let result = program.evaluate(root) { role in
                asked.append(role)
                return held.contains(role)
            }
            return (result, asked)
        }
        #expect(evaluate([0]) == (true, [0]))
        #expect(evaluate([]) == (false, [0, 1, 2]))
        #expect(evaluate([2]) == (true, [0, 1, 2]))
        #expect(evaluate([1, 2]) == (false, [0, 1]))
    }
}
