//! Table-driven tests of the EventBridge event-pattern grammar (TC201), through the library.
//!
//! The expectations are EventBridge's, that is `aws/event-ruler`'s `JsonRuleCompiler` (see
//! `shared/reference/iac-formats.md` §4.1–§4.4): what it accepts, what it rejects, and the words
//! it rejects with. A case taken from event-ruler's own `JsonRuleCompilerTest` says so in a
//! comment beside it (`// JsonRuleCompilerTest.<method>`).
//!
//! Each invalid case gives the dotted JSON path of the offence as this crate writes it
//! (`detail.state`, `a[0].prefix`, `$or[1]`; empty for the whole pattern) and a substring of
//! the reason: the part of event-ruler's message that states the reason. Where event-ruler's
//! message is plainly a copy-paste slip (it says "Too many elements in numeric expression"
//! for a second key beside `anything-but`, and "prefix match pattern must be a string" for a
//! `cidr` operand), the substring is the message event-ruler uses for the same offence
//! elsewhere. JSON syntax errors are reported in the JSON parser's words, not event-ruler's.
//!
//! Every mismatch in a table is listed before the test fails, so one run shows them all.

use trailcheck::pattern::{MAX_PATTERN_LEN, Pattern, PatternError, parse_pattern_text};
use trailcheck::source::Span;
use trailcheck::value::Text;
use trailcheck::value::Tri;

/// Patterns EventBridge accepts.
const VALID: &[&str] = &[
    // Structure and literal values.
    r#"{"a":[1]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":["x"]}"#,
    r#"{"a":[""]}"#,
    r#"{"a":[true, false, null]}"#,
    r#"{"a":[1, 3.0e2, -0.5, 133.3]}"#,
    r#"{"account":[123456789012]}"#, // JsonRuleCompilerTest.testBigNumbers
    r#"{"resources":["r1","r2"]}"#,  // JsonRuleCompilerTest.testCompile
    r#"{"detail-getType":["ec2/spot-bid-matched"],"detail":{"state":["in-service","dead"]}}"#, // JsonRuleCompilerTest.testCompile
    r#"{"detail":{"requestParameters":{"zone":["us-east-1a"]}}}"#,
    r#"{"b":["192.0.2.0"]}"#, // JsonRuleCompilerTest.testVariantForms
    r#"{"detail.state":["halted","pending"]}"#,
    r#"{"a":["x", {"prefix":"y"}, {"anything-but":"z"}, 5, null]}"#,
    r#"  {  "a" :  [ "x" ]  }  "#,
    // Operator names are only reserved inside `$or`; elsewhere they are ordinary field names.
    r#"{"prefix":["x"],"detail":{"numeric":["5"],"exists":[true]}}"#,
    // exactly (event-ruler only).
    r#"{"a":[{"exactly":"child"}]}"#, // JsonRuleCompilerTest.testCompile
    // prefix and suffix.
    r#"{"a":[{"prefix":"child"}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"prefix":""}]}"#,
    r#"{"a":[{"suffix":"child"}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"suffix":".png"}]}"#,
    r#"{"a":[{"prefix":{"equals-ignore-case":"child"}}]}"#, // JsonRuleCompilerTest.testPrefixEqualsIgnoreCaseCompile
    r#"{"a":[{"suffix":{"equals-ignore-case":"child"}}]}"#, // JsonRuleCompilerTest.testSuffixEqualsIgnoreCaseCompile
    // equals-ignore-case.
    r#"{"a":[{"equals-ignore-case":"abc"}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"equals-ignore-case":""}]}"#,
    // wildcard: `*` is a wildcard, `\*` a literal star and `\\` a literal backslash.
    r#"{"a":[{"wildcard":"a*b*c"}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"wildcard":"*"}]}"#,
    r#"{"a":[{"wildcard":""}]}"#,
    r#"{"a":[{"wildcard":"arn:aws:s3:::bucket/*.png"}]}"#,
    r#"{"a":[{"wildcard":"a\\*b"}]}"#,
    r#"{"a":[{"wildcard":"a\\\\b"}]}"#,
    r#"{"a":[{"wildcard":"a\\**"}]}"#,
    r#"{"a":[{"wildcard":"*\\\\*"}]}"#,
    r#"{"a":[{"wildcard":"\\*\\*"}]}"#,
    // anything-but and its forms.
    r#"{"a":[{"anything-but":"child"}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":["child0","child1","child2"]}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":[111,222,333]}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":111}]}"#,     // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":""}]}"#,
    r#"{"a":[{"anything-but":{"prefix":"foo"}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"prefix":["abc","123"]}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"suffix":"foo"}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"suffix":["abc","123"]}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"equals-ignore-case":"rule"}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"equals-ignore-case":""}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"equals-ignore-case":["abc","123"]}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"equals-ignore-case":["abc",""]}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"wildcard":"foo*bar"}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"wildcard":""}}]}"#,        // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"wildcard":["foo*bar","*foobar*"]}}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"a":[{"anything-but":{"wildcard":["foo*bar",""]}}]}"#, // JsonRuleCompilerTest.testCompile
    // numeric: every operator, and ranges (lower bound first).
    r#"{"x":[{"numeric":["=",3.8]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":["<",3.8]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":["<=",3.8]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">",3.8]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">=",3.8]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":["=",0.000033]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":["=",-4e-6]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":["<",55555]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">",1E-320]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":["=",0]}]}"#,
    r#"{"x":[{"numeric":[">",0,"<",1]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">=",0,"<",1]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">",0,"<=",1]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">=",0,"<=",1]}]}"#, // JsonRuleCompilerTest.testNumericExpressions
    r#"{"x":[{"numeric":[">",0,"<=",5]}]}"#,
    r#"{"a":[{"numeric":[">",120,"<=",140]}]}"#, // JsonRuleCompilerTest.testVariantForms
    r#"{"x":[{"numeric":[">",-10.5,"<",-1e-3]}]}"#,
    // exists.
    r#"{"x":[{"exists":true}]}"#, // JsonRuleCompilerTest.testExistsExpression
    r#"{"x":[{"exists":false}]}"#, // JsonRuleCompilerTest.testExistsExpression
    r#"{"x":[{"exists":true }]}"#, // JsonRuleCompilerTest.testExistsExpression
    // cidr.
    r#"{"a":[{"cidr":"10.0.0.0/8"}]}"#, // JsonRuleCompilerTest.testCompile
    r#"{"b":[{"cidr":"192.0.2.0/24"}]}"#, // JsonRuleCompilerTest.testVariantForms
    r#"{"a":[{"cidr":"0.0.0.0/0"}]}"#,
    r#"{"a":[{"cidr":"2001:db8::/32"}]}"#,
    r#"{"a":[{"cidr":"fe80::/64"}]}"#,
    // $or, at the top, nested, inside alternatives, beside fields, and twice at one level.
    r#"{"$or":[{"a":["x"]},{"b":["y"]}]}"#,
    r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"]},{"scope":["Service"]}]}"#,
    r#"{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}"#, // JsonRuleCompilerTest.testBasicFunctionOfOrRelationshipRules
    r#"{"$or":[{"a":["x"]},{"$or":[{"b":["y"]},{"c":["z"]}]}]}"#,
    r#"{"$or":[{"a":["x"]},{"b":["y"]}],"detail":{"$or":[{"c":["z"]},{"d":{"e":["w"]}}]}}"#,
    r#"{"$or":[{"a":{"b":["x"]}},{"a":{"c":[{"prefix":"p"}]}}]}"#,
    r#"{"$or":[{"a":["x"]},{"b":["y"]},{"c":[{"exists":false}]}]}"#,
    // A later duplicate key replaces the earlier one, even an earlier invalid one. (This holds
    // when the pattern is read into a tree first, as CloudFormation does with an object-form
    // `EventPattern`; event-ruler's streaming `JsonRuleCompiler` alone would stop at `"a":1`.)
    r#"{"a":1,"a":["x"]}"#,
    r#"{"a":{"b":{}},"a":{"b":["x"]}}"#,
    r#"{"source":["aws.sns"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["s3.amazonaws.com"],"eventSource":["sns.amazonaws.com"]}}"#, // JsonRuleCompilerTest.testWithRuleOverride
    r#"{"name":["a","b"],"$or":[{"name":[{"anything-but":"a"}]},{"condition1":["x"]}]}"#, // JsonRuleCompilerTest.testWithRuleOverride
];

/// Patterns EventBridge rejects: (pattern, JSON path of the offence, substring of the reason).
const INVALID: &[(&str, &str, &str)] = &[
    // The pattern must be an object.
    ("[1,2,3]", "", "Filter is not an object"), // JsonRuleCompilerTest.testCompile
    (r#""x""#, "", "Filter is not an object"),
    ("null", "", "Filter is not an object"),
    ("5", "", "Filter is not an object"),
    // Members are objects or arrays.
    (r#"{"a":1}"#, "a", r#""a" must be an object or an array"#), // JsonRuleCompilerTest.testCompile
    (r#"{"a":"x"}"#, "a", r#""a" must be an object or an array"#),
    (
        r#"{"detail":{"state":true}}"#,
        "detail.state",
        r#""state" must be an object or an array"#,
    ),
    (
        r#"{"detail":{"state":null}}"#,
        "detail.state",
        r#""state" must be an object or an array"#,
    ),
    // No empty arrays or objects.
    (r#"{ "foo": []}"#, "foo", "Empty arrays are not allowed"), // JsonRuleCompilerTest.testCompile
    (
        r#"{"detail":{"a":[]}}"#,
        "detail.a",
        "Empty arrays are not allowed",
    ),
    (r#"{ "foo": {}}"#, "foo", "Empty objects are not allowed"), // JsonRuleCompilerTest.testCompile
    (r#"{"a":{"b":{}}}"#, "a.b", "Empty objects are not allowed"),
    ("{}", "", "Empty objects are not allowed"),
    (r#"{"a":[{}]}"#, "a[0]", "Match expression name not found"),
    // A leaf holds scalars and operator objects, not arrays.
    (
        r#"{"a":[["x"]]}"#,
        "a[0]",
        "Match value must be String, number, true, false, or null",
    ),
    (
        r#"{"a":["x",[1]]}"#,
        "a[1]",
        "Match value must be String, number, true, false, or null",
    ),
    // Unknown operators.
    (
        r#"{"a":[ { "x":2 } ]}"#,
        "a[0]",
        "Unrecognized match type x",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "foo": "child" } ] }"#,
        "a[0]",
        "Unrecognized match type foo",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"regex":"^x"}]}"#,
        "a[0]",
        "Unrecognized match type regex",
    ),
    // One key per operator object.
    (
        r#"{"a": [ { "prefix": "child", "foo": [] } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": "child", "foo": [] } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"prefix":"x","suffix":"y"}]}"#,
        "a[0]",
        "Only one key allowed in match expression",
    ),
    // prefix and suffix.
    (
        r#"{"a": [ { "prefix": 3 } ] }"#,
        "a[0].prefix",
        "prefix match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": 3 } ] }"#,
        "a[0].suffix",
        "suffix match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"prefix":["abc"]}]}"#,
        "a[0].prefix",
        "prefix match pattern must be a string",
    ),
    (
        r#"{"a":[{"suffix":null}]}"#,
        "a[0].suffix",
        "suffix match pattern must be a string",
    ),
    (
        r#"{"a": [ { "prefix": { "invalid-expression": [ "abc" ] } } ] }"#,
        "a[0].prefix",
        "Unsupported prefix pattern: invalid-expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": { "invalid-expression": [ "abc" ] } } ] }"#,
        "a[0].suffix",
        "Unsupported suffix pattern: invalid-expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"prefix":{}}]}"#,
        "a[0].prefix",
        "Prefix expression name not found",
    ),
    (
        r#"{"a": [ { "prefix": { "equals-ignore-case": 5 } } ] }"#,
        "a[0].prefix.equals-ignore-case",
        "equals-ignore-case match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "prefix": { "equals-ignore-case": [ "abc" ] } } ] }"#,
        "a[0].prefix.equals-ignore-case",
        "equals-ignore-case match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": { "equals-ignore-case": 5 } } ] }"#,
        "a[0].suffix.equals-ignore-case",
        "equals-ignore-case match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": { "equals-ignore-case": [ "abc" ] } } ] }"#,
        "a[0].suffix.equals-ignore-case",
        "equals-ignore-case match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "prefix": { "equals-ignore-case": "abc", "test": "def" } } ] }"#,
        "a[0].prefix",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": { "equals-ignore-case": "abc", "test": "def" } } ] }"#,
        "a[0].suffix",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "prefix": { "equals-ignore-case": "abc" }, "test": "def" } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "suffix": { "equals-ignore-case": "abc" }, "test": "def" } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    // equals-ignore-case.
    (
        r#"{"a": [ { "equals-ignore-case": 5 } ] }"#,
        "a[0].equals-ignore-case",
        "equals-ignore-case match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "equals-ignore-case": [ "abc" ] } ] }"#,
        "a[0].equals-ignore-case",
        "equals-ignore-case match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    // exactly.
    (
        r#"{"a": [ { "exactly": 33 } ] }"#,
        "a[0].exactly",
        "match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    // wildcard. Positions are byte offsets into the value with event-ruler's opening quote
    // before it (`"abc**def"`: the first `*` of the pair is at 4), as event-ruler reports them.
    (
        r#"{"a": [ { "wildcard": 5 } ] }"#,
        "a[0].wildcard",
        "wildcard match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "wildcard": [ "abc" ] } ] }"#,
        "a[0].wildcard",
        "wildcard match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"key": [{"wildcard": "abc**def"}]}"#,
        "key[0].wildcard",
        "Consecutive wildcard characters at pos 4",
    ), // JsonRuleCompilerTest.testWildcardConsecutiveWildcards
    (
        r#"{"a":[{"wildcard":"**abc"}]}"#,
        "a[0].wildcard",
        "Consecutive wildcard characters at pos 1",
    ),
    (
        r#"{"a":[{"wildcard":"é**"}]}"#,
        "a[0].wildcard",
        "Consecutive wildcard characters at pos 3",
    ),
    (
        r#"{"a":[{"wildcard":"x\\a"}]}"#,
        "a[0].wildcard",
        "Invalid escape character at pos 2",
    ),
    (
        r#"{"a":[{"wildcard":"foo*bar\\"}]}"#,
        "a[0].wildcard",
        "Invalid escape character at pos 8",
    ),
    (
        r#"{"key": [{"wildcard": "a*c\def"}]}"#,
        "",
        "not valid JSON",
    ), // JsonRuleCompilerTest.testWildcardInvalidEscapeCharacter
    // anything-but: a string, a number, or a non-empty list of all strings or all numbers.
    (
        r#"{"a": [ { "anything-but": "child", "foo": [] } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": ["child0",111,"child2"] } ] }"#,
        "a[0].anything-but",
        "mixed type is not supported",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"anything-but":[1,"x"]}]}"#,
        "a[0].anything-but",
        "mixed type is not supported",
    ),
    (
        r#"{"a":[{"anything-but":["x",null]}]}"#,
        "a[0].anything-but",
        "Inside anything but list, start|null|boolean is not supported.",
    ),
    (
        r#"{"a":[{"anything-but":[true]}]}"#,
        "a[0].anything-but",
        "Inside anything but list, start|null|boolean is not supported.",
    ),
    (
        r#"{"a":[{"anything-but":["x",{"prefix":"y"}]}]}"#,
        "a[0].anything-but",
        "Inside anything but list, start|null|boolean is not supported.",
    ),
    (
        r#"{"a":[{"anything-but":[]}]}"#,
        "a[0].anything-but",
        "either all values are number or string",
    ),
    (
        r#"{"a":[{"anything-but":null}]}"#,
        "a[0].anything-but",
        "Value of anything-but must be an array or single string/number value.",
    ),
    (
        r#"{"a":[{"anything-but":false}]}"#,
        "a[0].anything-but",
        "Value of anything-but must be an array or single string/number value.",
    ),
    (
        r#"{"a":[{"anything-but":{}}]}"#,
        "a[0].anything-but",
        "Anything-But expression name not found",
    ),
    // (event-ruler's case is `{ "foo": 3 } ] }`, missing a `}`; this is the case it means.)
    (
        r#"{"a": [ { "anything-but": { "foo": 3 } } ] }"#,
        "a[0].anything-but",
        "Unsupported anything-but pattern: foo",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"anything-but":{"exists":true}}]}"#,
        "a[0].anything-but",
        "Unsupported anything-but pattern: exists",
    ),
    (
        r#"{"a": [ { "anything-but": { "prefix": 27 } } ] }"#,
        "a[0].anything-but.prefix",
        "match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": "" } } ] }"#,
        "a[0].anything-but.prefix",
        "Null prefix/suffix not allowed",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": "foo", "a":1 } } ] }"#,
        "a[0].anything-but",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": "foo" }, "x": 1 } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": ["1", "2" "3"] } } ] }"#,
        "",
        "not valid JSON",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": ["1", ""] } } ] }"#,
        "a[0].anything-but.prefix",
        "Null prefix/suffix not allowed",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": [1, 2, 3] } } ] }"#,
        "a[0].anything-but.prefix",
        "match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "prefix": ["1", "2" } } ] }"#,
        "",
        "not valid JSON",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"anything-but":{"prefix":[]}}]}"#,
        "a[0].anything-but.prefix",
        "Empty arrays are not allowed",
    ),
    (
        r#"{"a": [ { "anything-but": { "suffix": 27 } } ] }"#,
        "a[0].anything-but.suffix",
        "match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "suffix": "" } } ] }"#,
        "a[0].anything-but.suffix",
        "Null prefix/suffix not allowed",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "suffix": "foo", "a":1 } } ] }"#,
        "a[0].anything-but",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "suffix": "foo" }, "x": 1 } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "suffix": ["1", ""] } } ] }"#,
        "a[0].anything-but.suffix",
        "Null prefix/suffix not allowed",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "suffix": [1, 2, 3] } } ] }"#,
        "a[0].anything-but.suffix",
        "match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "equals-ignore-case": [1, 2, 3] } } ] }"#,
        "a[0].anything-but.equals-ignore-case",
        "number|start|null|boolean is not supported",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"anything-but":{"equals-ignore-case":5}}]}"#,
        "a[0].anything-but.equals-ignore-case",
        "number|start|null|boolean is not supported",
    ),
    (
        r#"{"a": [ { "anything-but": { "equals-ignore-case": ["1", "2" ] } ] }"#,
        "",
        "not valid JSON",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": 27 } } ] }"#,
        "a[0].anything-but.wildcard",
        "wildcard match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": "foo", "a":1 } } ] }"#,
        "a[0].anything-but",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": "foo" }, "x": 1 } ] }"#,
        "a[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": "foo**bar" } } ] }"#,
        "a[0].anything-but.wildcard",
        "Consecutive wildcard characters at pos 4",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": "foo*bar\\" } } ] }"#,
        "a[0].anything-but.wildcard",
        "Invalid escape character at pos 8",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": ["1", "foo**bar"] } } ] }"#,
        "a[0].anything-but.wildcard",
        "Consecutive wildcard characters at pos 4",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": ["1", "foo*bar\\"] } } ] }"#,
        "a[0].anything-but.wildcard",
        "Invalid escape character at pos 8",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a": [ { "anything-but": { "wildcard": [1, 2, 3] } } ] }"#,
        "a[0].anything-but.wildcard",
        "wildcard match pattern must be a string",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"anything-but":[1E309]}]}"#,
        "a[0].anything-but",
        "Cannot compare number",
    ),
    // numeric.
    (
        r#"{"x": [{"numeric": ["=", true]}]}"#,
        "x[0].numeric",
        "must be numeric",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": [">=", true]}]}"#,
        "x[0].numeric",
        "must be numeric",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["=", "-4e-6"]}]}"#,
        "x[0].numeric",
        "must be numeric",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["<=", "-4e-6"]}]}"#,
        "x[0].numeric",
        "must be numeric",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["="]}]}"#,
        "x[0].numeric",
        "must be numeric",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["<"]}]}"#,
        "x[0].numeric",
        "must be numeric",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["=", 1E309]}]}"#,
        "x[0].numeric",
        "Cannot compare number",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["=", 1E-325]}]}"#,
        "x[0].numeric",
        "Cannot compare number",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["<", 2.0e422]}]}"#,
        "x[0].numeric",
        "Cannot compare number",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["<>", 1, ">", 0]}]}"#,
        "x[0].numeric",
        "Unrecognized numeric range operator: <>",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["==", 1, ">", 0]}]}"#,
        "x[0].numeric",
        "Unrecognized numeric range operator: ==",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": ["<", 1, ">", 0]}]}"#,
        "x[0].numeric",
        "Too many elements in numeric expression",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": [">", 1, "<", 1]}]}"#,
        "x[0].numeric",
        "must be less than",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": [">", 30, "<", 1]}]}"#,
        "x[0].numeric",
        "must be less than",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x": [{"numeric": [">", 1, "<", 30, false]}]}"#,
        "x[0].numeric",
        "Too many terms in numeric range expression",
    ), // JsonRuleCompilerTest.testNumericExpressions
    (
        r#"{"x":[{"numeric":[">",0,">",5]}]}"#,
        "x[0].numeric",
        "Bad numeric range",
    ),
    (
        r#"{"x":[{"numeric":[1,2]}]}"#,
        "x[0].numeric",
        "Invalid member in numeric match",
    ),
    (
        r#"{"x":[{"numeric":[]}]}"#,
        "x[0].numeric",
        "Invalid member in numeric match",
    ),
    (
        r#"{"x":[{"numeric":5}]}"#,
        "x[0].numeric",
        "Value of numeric must be an array.",
    ),
    (
        r#"{"x":[{"numeric":{">":5}}]}"#,
        "x[0].numeric",
        "Value of numeric must be an array.",
    ),
    // exists.
    (
        r#"{"x": [{"exists": "badString"}]}"#,
        "x[0].exists",
        "exists match pattern must be either true or false.",
    ), // JsonRuleCompilerTest.testExistsExpression
    (
        r#"{"x": [{"exists": "= abc"}]}"#,
        "x[0].exists",
        "exists match pattern must be either true or false.",
    ), // JsonRuleCompilerTest.testExistsExpression
    (
        r#"{"x": [{"exists": true, "extraKey": "extraValue" }]}"#,
        "x[0]",
        "Only one key allowed in match expression",
    ), // JsonRuleCompilerTest.testExistsExpression
    (
        r#"{"x":[{"exists":null}]}"#,
        "x[0].exists",
        "exists match pattern must be either true or false.",
    ),
    (
        r#"{"x":[{"exists":[true]}]}"#,
        "x[0].exists",
        "exists match pattern must be either true or false.",
    ),
    // cidr.
    (
        r#"{"a": [ { "cidr": "foo" } ] }"#,
        "a[0].cidr",
        "Malformed CIDR",
    ), // JsonRuleCompilerTest.testCompile
    (
        r#"{"a":[{"cidr":"not-an-ip/24"}]}"#,
        "a[0].cidr",
        "Nonstandard IP address: not-an-ip",
    ),
    (
        r#"{"a":[{"cidr":"10.0.0.1"}]}"#,
        "a[0].cidr",
        "Malformed CIDR, one '/' required",
    ),
    (
        r#"{"a":[{"cidr":"10.0.0.0/33"}]}"#,
        "a[0].cidr",
        "IPv4 mask bits must be < 32",
    ),
    // event-ruler's CIDR.cidr refuses a /32 ("IPv4 mask bits must be < 32") and a /128.
    (
        r#"{"a":[{"cidr":"10.0.0.1/32"}]}"#,
        "a[0].cidr",
        "IPv4 mask bits must be < 32",
    ),
    (
        r#"{"a":[{"cidr":"2001:db8::/129"}]}"#,
        "a[0].cidr",
        "IPv6 mask bits must be < 128",
    ),
    (
        r#"{"a":[{"cidr":"2001:db8::1/128"}]}"#,
        "a[0].cidr",
        "IPv6 mask bits must be < 128",
    ),
    (
        r#"{"a":[{"cidr":"10.0.0.0/x"}]}"#,
        "a[0].cidr",
        "mask bits must be an integer",
    ),
    (
        r#"{"a":[{"cidr":5}]}"#,
        "a[0].cidr",
        "match pattern must be a string",
    ),
    // $or: an array of at least two objects that use no operator name as a field name.
    (
        r#"{"$or":[{"a":["x"]}]}"#,
        "$or",
        "There must have at least 2 Objects in $or relationship.",
    ),
    (
        r#"{"$or":[]}"#,
        "$or",
        "There must have at least 2 Objects in $or relationship.",
    ),
    (
        r#"{"detail":{"$or":[{"a":["x"]}]}}"#,
        "detail.$or",
        "There must have at least 2 Objects in $or relationship.",
    ),
    (
        r#"{"$or":[{"a":["x"]},"b"]}"#,
        "$or[1]",
        "Only JSON object is allowed in array of $or relationship.",
    ),
    (
        r#"{"detail":{"$or":[["x"],{"b":["y"]}]}}"#,
        "detail.$or[0]",
        "Only JSON object is allowed in array of $or relationship.",
    ),
    (
        r#"{"$or":[{"prefix":["x"]},{"b":["y"]}]}"#,
        "$or[0]",
        "prefix is Ruler reserved fieldName which cannot be used inside $or.",
    ),
    (
        r#"{"$or":[{"a":["x"]},{"numeric":[5]}]}"#,
        "$or[1]",
        "numeric is Ruler reserved fieldName which cannot be used inside $or.",
    ),
    (
        r#"{"$or":[{"a":{"exists":[true]}},{"b":["y"]}]}"#,
        "$or[0]",
        "exists is Ruler reserved fieldName which cannot be used inside $or.",
    ),
    (
        r#"{"$or":{"a":["x"]}}"#,
        "$or",
        "It must be an Array followed with $or.",
    ),
    (
        r#"{"$or":[{"a":1},{"b":["y"]}]}"#,
        "a",
        r#""a" must be an object or an array"#,
    ),
    (
        r#"{"detail":{"$or":[{"c":[{"numeric":["<"]}]},{"d":["y"]}]}}"#,
        "detail.c[0].numeric",
        "must be numeric",
    ),
    // A later duplicate replaces the earlier one, also when the later one is the invalid one.
    (
        r#"{"a":["x"],"a":1}"#,
        "a",
        r#""a" must be an object or an array"#,
    ),
    // JSON syntax.
    (r#"{"a":["x"]"#, "", "not valid JSON"),
    (r#"{"a":["x"]} {}"#, "", "not valid JSON"),
    (r#"{'a':['x']}"#, "", "not valid JSON"),
];

fn parse(text: &str) -> Result<Pattern, PatternError> {
    parse_pattern_text(text, Span::new(0, text.len()), text)
}

fn within(span: Span, text: &str) -> bool {
    span.start <= span.end && span.end as usize <= text.len()
}

#[test]
fn valid_patterns_parse() {
    let mut failures = Vec::new();
    for pattern in VALID {
        match parse(pattern) {
            Ok(parsed) => {
                if !within(parsed.span, pattern) {
                    failures.push(format!("{pattern}\n    span {:?} outside", parsed.span));
                }
                match parsed.branches() {
                    Some(branches) if !branches.is_empty() => {}
                    other => failures.push(format!("{pattern}\n    branches: {other:?}")),
                }
            }
            Err(error) => failures.push(format!(
                "{pattern}\n    rejected at `{}`: {}",
                error.path, error.reason
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} valid patterns failed:\n{}",
        failures.len(),
        VALID.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_patterns_are_rejected_with_path_and_reason() {
    let mut failures = Vec::new();
    for (pattern, path, reason) in INVALID {
        match parse(pattern) {
            Ok(_) => failures.push(format!(
                "{pattern}\n    accepted; expected `{path}`: {reason}"
            )),
            Err(error) => {
                let mut wrong = Vec::new();
                if error.path != *path {
                    wrong.push(format!("path `{}` (expected `{path}`)", error.path));
                }
                if !error.reason.contains(reason) {
                    wrong.push(format!("reason {:?} (expected {reason:?})", error.reason));
                }
                if !within(error.span, pattern) {
                    wrong.push(format!("span {:?} outside the text", error.span));
                }
                if !wrong.is_empty() {
                    failures.push(format!("{pattern}\n    {}", wrong.join("\n    ")));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} invalid patterns failed:\n{}",
        failures.len(),
        INVALID.len(),
        failures.join("\n")
    );
}

#[test]
fn tables_do_not_overlap() {
    for (pattern, _, _) in INVALID {
        assert!(!VALID.contains(pattern), "{pattern} is in both tables");
    }
}

/// A pattern of exactly `len` characters: `{"a":["xxx…"]}`.
fn pattern_of_len(len: usize) -> String {
    let overhead = r#"{"a":[""]}"#.len();
    format!(r#"{{"a":["{}"]}}"#, "x".repeat(len - overhead))
}

#[test]
fn a_pattern_of_4096_characters_is_valid() {
    let text = pattern_of_len(MAX_PATTERN_LEN);
    assert_eq!(text.chars().count(), 4096);
    assert!(parse(&text).is_ok());
}

#[test]
fn a_pattern_longer_than_4096_characters_is_rejected() {
    let text = pattern_of_len(MAX_PATTERN_LEN + 1);
    let error = parse(&text).expect_err("4097 characters must be rejected");
    assert_eq!(error.path, "");
    assert!(error.reason.contains("4096"), "{}", error.reason);
}

#[test]
fn the_limit_counts_characters_not_bytes() {
    // 4096 characters, more than 4096 bytes.
    let overhead = r#"{"a":[""]}"#.len();
    let text = format!(r#"{{"a":["{}"]}}"#, "é".repeat(MAX_PATTERN_LEN - overhead));
    assert_eq!(text.chars().count(), 4096);
    assert!(text.len() > 4096);
    assert!(parse(&text).is_ok());
}

#[test]
fn a_later_duplicate_replaces_the_earlier_one() {
    let text =
        r#"{"detail":{"eventSource":["s3.amazonaws.com"],"eventSource":["sns.amazonaws.com"]}}"#;
    let pattern = parse(text).expect("valid");
    let branches = pattern.branches().expect("one branch");
    assert_eq!(branches.len(), 1);
    let matchers = branches[0]
        .matchers("detail.eventSource")
        .expect("a leaf at detail.eventSource");
    let accepts = |value: &str| {
        let text = Text::lit(value);
        matchers
            .iter()
            .map(|m| m.accepts(&text))
            .collect::<Vec<_>>()
    };
    assert_eq!(accepts("sns.amazonaws.com"), vec![Tri::Yes]);
    assert_eq!(accepts("s3.amazonaws.com"), vec![Tri::No]);
}

#[test]
fn or_expands_as_event_ruler_compiles_it() {
    // JsonRuleCompilerTest.testBasicFunctionOfOrRelationshipRules: 3 and 6 sub-rules.
    let rule1 = r#"{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}"#;
    let rule2 = r#"{"detail":{"detail-type":["EC2 Instance State-change Notification"],"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],"info":{"state-status":["initializing","running"],"state-count":{"count":[100]}},"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]},"news":{"newsProviders":["p1","p2"],"$or":[{"newCondition1":["news111"]},{"newCondition2":["news222"]}]}}"#;
    for (rule, expected) in [(rule1, 3), (rule2, 6)] {
        let pattern = parse(rule).expect("valid");
        let branches = pattern.branches().expect("few branches");
        assert_eq!(branches.len(), expected, "{rule}");
    }
    let pattern = parse(rule1).expect("valid");
    let branches = pattern.branches().expect("few branches");
    let paths: Vec<Vec<&str>> = branches
        .iter()
        .map(|b| b.leaves.iter().map(|l| l.path).collect())
        .collect();
    assert_eq!(
        paths,
        vec![
            vec!["detail.c-count"],
            vec!["detail.d-count"],
            vec!["detail.x-limit"]
        ]
    );
}
