package dev.aperture.config;

import static dev.aperture.config.ConfigTesting.lineOf;
import static dev.aperture.config.ConfigTesting.parse;
import static dev.aperture.config.ConfigTesting.problem;
import static dev.aperture.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** HuJSON: what it accepts beyond JSON, and a clear error with path and line for what it does not. */
final class HuJsonSyntaxTest {
  @Test
  void acceptsLineAndBlockCommentsEverywhereAndTrailingCommas() {
    ApertureConfig config = parse("""
        // leading comment
        /* block
           comment */ {
          "providers" /* between key and colon */ : // after colon
          {
            "p": {
              "baseurl": "https://example.com/", /* trailing */
              "models": [ "a", /* inside */ "b", ], // trailing comma in an array
              "apikey": "k",
            }, // trailing comma in an object
          },
        } // after the document
        /* and at the very end */""");

    assertThat(config.providers().get("p").models()).containsExactly("a", "b");
  }

  @Test
  void commentMarkersInsideStringsAreText() {
    ApertureConfig config = parse("""
        {"providers": {"p": {
          "baseurl": "https://example.com/a//b/*c*/",
          "models": ["//not-a-comment", "/*nor-this*/", "a*/b"],
          "apikey": "k",
          "description": "// and /* are text */ here",
        }}}
        """);

    assertThat(config.providers().get("p").baseUrl()).isEqualTo("https://example.com/a//b/*c*/");
    assertThat(config.providers().get("p").models())
        .containsExactly("//not-a-comment", "/*nor-this*/", "a*/b");
    assertThat(config.providers().get("p").description()).isEqualTo("// and /* are text */ here");
  }

  @Test
  void decodesEveryStringEscape() {
    ApertureConfig config = parse("""
        {"providers": {"p": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k",
          "description": "q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00"}}}
        """);

    assertThat(config.providers().get("p").description())
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t é€ \uD83D\uDE00");
  }

  @Test
  void acceptsAByteOrderMarkAndCrLfLineEndings() {
    String text = "\uFEFF{\r\n\"providers\": {\r\n\"p\": {\"baseurl\": \"https://example.com/\", "
        + "\"models\": [\"m\"], \"apikey\": \"k\"}}}\r\n";

    assertThat(parse(text).providers()).containsOnlyKeys("p");
  }

  @Test
  void anUnterminatedStringNamesTheLineItStarts() {
    String text = """
        {"providers": {"p": {
          "baseurl": "https://example.com/,
          "models": ["m"]}}}
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.path()).isEqualTo("providers.p.baseurl");
    assertThat(problem.line()).isEqualTo(lineOf(text, "baseurl"));
    assertThat(problem.message()).contains("unterminated string starting at column 14");
  }

  @Test
  void aStringCutOffByTheEndOfTheFileIsUnterminated() {
    ConfigProblem problem = problem("{\"providers\": {\"p\": {\"baseurl\": \"https://exa");

    assertThat(problem.message()).contains("unterminated string");
    assertThat(problem.line()).isEqualTo(1);
  }

  @Test
  void aBadEscapeIsAnErrorWithItsColumn() {
    String text = """
        {"providers": {"p": {"baseurl": "https://example.com/", "models": ["m"],
          "name": "a\\qb"}}}
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.path()).isEqualTo("providers.p.name");
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.message()).contains("column 13").contains("invalid escape \\q");
  }

  @Test
  void aShortUnicodeEscapeIsAnError() {
    ConfigProblem problem = problem("{\"providers\": {\"p\": {\"name\": \"\\u12G4\"}}}");

    assertThat(problem.message()).contains("invalid \\u escape");
  }

  @Test
  void aMissingCommaBetweenArrayElementsNamesTheElementAndLine() {
    String text = """
        {"providers": {"p": {
          "baseurl": "https://example.com/",
          "models": [
            "a"
            "b"
          ]}}}
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.path()).isEqualTo("providers.p.models[0]");
    assertThat(problem.line()).isEqualTo(lineOf(text, "\"b\""));
    assertThat(problem.message()).contains("expected ',' or ']'").contains("missing comma?");
  }

  @Test
  void aMissingCommaBetweenMembersNamesTheMemberAndLine() {
    String text = """
        {"providers": {"p": {
          "baseurl": "https://example.com/"
          "models": ["m"]}}}
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.path()).isEqualTo("providers.p.baseurl");
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.message()).contains("expected ',' or '}'").contains("missing comma?");
  }

  @Test
  void anUnclosedBlockCommentNamesWhereItStarts() {
    String text = """
        {"providers": {"p": {
          /* a comment that never ends
          "baseurl": "https://example.com/",
        }}}
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.message()).contains("unclosed /* comment starting at column 3");
  }

  @Test
  void aTruncatedFileSaysWhichObjectIsNotClosed() {
    String text = """
        {
          "providers": {
            "p": {"baseurl": "https://example.com/", "models": ["m"]}
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.path()).isEqualTo("providers");
    assertThat(problem.message()).contains("unexpected end of text")
        .contains("object opened at line 2, column 16 is not closed");
  }

  @Test
  void aFileEndingAfterAColonExpectsAValue() {
    ConfigProblem problem = problem("{\"providers\":");

    assertThat(problem.path()).isEqualTo("providers");
    assertThat(problem.message()).contains("unexpected end of text; expected a value");
  }

  @Test
  void anEmptyFileIsAnError() {
    assertThat(problem("").message()).contains("the configuration is empty");
    assertThat(problem("  // only a comment\n/* and another */\n").message())
        .contains("the configuration is empty");
  }

  @Test
  void aTopLevelValueOtherThanAnObjectIsAnError() {
    assertThat(problem("[]").message()).contains("must be a JSON object").contains("found an array");
    assertThat(problem("\"providers\"").message()).contains("found a string");
    assertThat(problem("42").message()).contains("found a number");
    assertThat(problem("null").message()).contains("must be a JSON object");
  }

  @Test
  void textAfterTheDocumentIsAnError() {
    ConfigProblem problem = problem("{\"providers\": {}}\n{}");

    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.message()).contains("after the end of the configuration object");
  }

  @Test
  void unquotedAndSingleQuotedKeysAndValuesAreErrors() {
    assertThat(problem("{providers: {}}").message()).contains("keys must be in double quotes");
    assertThat(problem("{'providers': {}}").message()).contains("keys must be in double quotes");
    assertThat(problem("{\"providers\": {\"p\": {\"name\": 'x'}}}").message())
        .contains("double quotes, not single quotes");
    ConfigProblem bare = problem("{\"providers\": {\"p\": {\"authorization\": bearer}}}");
    assertThat(bare.path()).isEqualTo("providers.p.authorization");
    assertThat(bare.message()).contains("unexpected 'bearer'").contains("must be in double quotes");
  }

  @Test
  void numbersFollowJsonGrammar() {
    for (String number : new String[] {"01", "+1", ".5", "1.", "1e", "-", "1x", "0x10", "NaN", "Infinity"}) {
      String text = "{\"providers\": {}, \"hooks\": {\"h\": {\"n\": " + number + "}}}";
      assertThat(problem(text).message()).as(number).containsAnyOf("invalid number", "unexpected");
    }
  }

  @Test
  void aNumberBeyondBigDecimalsExponentIsAnError() {
    ConfigProblem problem = problem("{\"providers\": {}, \"hooks\": {\"h\": {\"n\": 1e99999999999}}}");

    assertThat(problem.message()).contains("number out of range");
  }

  @Test
  void controlCharactersInStringsAreErrors() {
    assertThat(problem("{\"providers\": {\"p\": {\"name\": \"a\tb\"}}}").message())
        .contains("control character U+0009");
  }

  @Test
  void emptyKeysAndStrayCommasAreErrors() {
    assertThat(problem("{\"providers\": {,}}").message()).contains("expected a quoted key or '}'");
    assertThat(problem("{\"providers\": {\"p\": {\"models\": [,]}}}").message())
        .contains("unexpected ','");
    assertThat(problem("{\"providers\": {\"p\": {\"models\": [\"a\",,]}}}").message())
        .contains("unexpected ','");
    assertThat(problem("{\"providers\": {}} /").message()).contains("comments start with // or /*");
  }

  @Test
  void duplicateKeysAreReportedWithBothLines() {
    String text = """
        {
          "providers": {
            "p": {
              "baseurl": "https://example.com/",
              "models": ["m"],
              "apikey": "k",
              "preference": 1,
              "preference": 2,
            },
          },
        }
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.path()).isEqualTo("providers.p.preference");
    assertThat(problem.line()).isEqualTo(8);
    assertThat(problem.message()).isEqualTo("duplicate key \"preference\"; it is already set at line 7, "
        + "and this later value replaces it");
    // Loading keeps the later value, as Aperture (Go's JSON decoding) does.
    assertThat(ConfigTesting.parse(text).providers().get("p").preference()).isEqualTo(2);
  }

  @Test
  void duplicateKeysAreReportedTogetherWithValidationErrors() {
    String text = """
        {
          "providers": {"p": {"baseurl": "ftp://example.com/", "models": ["m"], "apikey": "k"}},
          "providers": {},
        }
        """;

    // The later "providers" replaces the first, so its bad baseurl is never read.
    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "providers (line 3): duplicate key \"providers\"; it is already set at line 2, and this later "
            + "value replaces it",
        "providers (line 3): no providers are configured; no model will route");
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String text = "{\"providers\": {}, \"hooks\": {\"h\": {\"x\": " + "[".repeat(100_000) + "}}}";

    assertThat(problem(text).message()).contains("nested deeper than");
  }
}
