package dev.enroll.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import dev.enroll.config.ConfigException;
import dev.enroll.config.ProfileConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One profile's policy, compiled. {@link #decide} never throws: an expression that fails to
 * run denies, with outcome {@code error} (fail closed).
 */
public final class ProfilePolicy {
  /** The types of name a policy may decide, as the configuration writes them. */
  public static final List<String> NAME_TYPES = List.of("dns", "uri", "email", "ip");

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .addVar("subject", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .addVar("now", SimpleType.TIMESTAMP)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      // has(), all(), exists(), exists_one(), map(), filter(); comprehensions are bounded,
      // so a token's long list cannot keep a request thread busy.
      .setOptions(CelOptions.current().comprehensionMaxIterations(10_000).build())
      .build();

  private final List<Rule> rules;
  private final Expression roles;
  private final Map<String, Expression> names;
  private final Expression validity;
  private final Expression approval;
  private final boolean approvalRequired;
  private final Duration maxValidity;

  private ProfilePolicy(List<Rule> rules, Expression roles, Map<String, Expression> names,
      Expression validity, Expression approval, boolean approvalRequired,
      Duration maxValidity) {
    this.rules = List.copyOf(rules);
    this.roles = roles;
    this.names = Map.copyOf(names);
    this.validity = validity;
    this.approval = approval;
    this.approvalRequired = approvalRequired;
    this.maxValidity = maxValidity;
  }

  /**
   * Compiles a profile's policy.
   *
   * @param at the profile's key
   * @param c the profile as written
   * @param maxValidity the profile's certificate validity, which a policy cannot exceed
   * @return the policy
   * @throws ConfigException naming the field and the position of an expression that does
   *     not compile
   */
  public static ProfilePolicy compile(String at, ProfileConfig c, Duration maxValidity) {
    ProfileConfig.PolicyConfig p = c.policy();
    String key = at + ".policy";
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < p.rules().size(); i++) {
      ProfileConfig.RuleConfig rule = p.rules().get(i);
      String ruleKey = key + ".rules[" + i + "]";
      if (rule == null || (rule.allow() == null) == (rule.deny() == null)) {
        throw new ConfigException(ruleKey, "a rule has either allow or deny");
      }
      boolean deny = rule.deny() != null;
      String field = ruleKey + (deny ? ".deny" : ".allow");
      Expression condition = Expression.compile(field, deny ? rule.deny() : rule.allow(),
          CelKind.BOOL);
      rules.add(new Rule(deny, condition, rule.reason() != null ? rule.reason()
          : (deny ? "denied by " : "allowed by ") + "policy rule " + i));
    }
    Map<String, Expression> names = new LinkedHashMap<>();
    ProfileConfig.PolicyNamesConfig n = p.names();
    String[] texts = {n.dns(), n.uri(), n.email(), n.ip()};
    for (int i = 0; i < texts.length; i++) {
      if (texts[i] != null) {
        String type = NAME_TYPES.get(i);
        names.put(type, Expression.compile(key + ".names." + type, texts[i], CelKind.LIST));
      }
    }
    return new ProfilePolicy(rules,
        Expression.compileOrNull(key + ".roles", p.roles(), CelKind.LIST), names,
        Expression.compileOrNull(key + ".validity", p.validity(), CelKind.DURATION),
        Expression.compileOrNull(key + ".approval", p.approval(), CelKind.BOOL),
        c.approval().required(), maxValidity);
  }

  /**
   * Decides one enrollment.
   *
   * @param input what the policy sees
   * @return the decision
   */
  public PolicyDecision decide(PolicyInput input) {
    Map<String, Object> activation = Map.of("claims", input.claims(),
        "subject", input.subject(), "request", input.request(), "now", input.now());
    try {
      // Deny wins: every deny rule is evaluated, whatever the allow rules say.
      String allowedBy = null;
      boolean anyAllow = false;
      for (Rule rule : rules) {
        boolean holds = (Boolean) rule.condition().evaluate(activation);
        if (rule.deny() && holds) {
          return PolicyDecision.refused(PolicyDecision.Outcome.DENY, rule.reason());
        }
        if (!rule.deny()) {
          anyAllow = true;
          if (holds && allowedBy == null) {
            allowedBy = rule.reason();
          }
        }
      }
      if (anyAllow && allowedBy == null) {
        return PolicyDecision.refused(PolicyDecision.Outcome.DENY,
            "no policy rule allows this subject");
      }

      List<String> roleList = roles == null ? List.of()
          : strings(roles, roles.evaluate(activation));
      Map<String, List<String>> decidedNames = new LinkedHashMap<>();
      for (Map.Entry<String, Expression> entry : names.entrySet()) {
        decidedNames.put(entry.getKey(),
            strings(entry.getValue(), entry.getValue().evaluate(activation)));
      }
      Duration lifetime = null;
      if (validity != null) {
        lifetime = (Duration) validity.evaluate(activation);
        if (lifetime.isNegative() || lifetime.isZero()) {
          throw new PolicyFailure(validity.field() + " gave " + lifetime
              + "; a lifetime must be positive");
        }
        if (lifetime.compareTo(maxValidity) > 0) {
          lifetime = maxValidity;
        }
      }
      boolean needsApproval = approvalRequired
          || approval != null && (Boolean) approval.evaluate(activation);
      return new PolicyDecision(needsApproval ? PolicyDecision.Outcome.APPROVAL
          : PolicyDecision.Outcome.ALLOW, null, roleList, decidedNames, lifetime);
    } catch (PolicyFailure failure) {
      return PolicyDecision.refused(PolicyDecision.Outcome.ERROR, failure.getMessage());
    }
  }

  private static List<String> strings(Expression expression, Object value) {
    List<String> strings = new ArrayList<>();
    for (Object item : (List<?>) value) {
      if (!(item instanceof String)) {
        throw new PolicyFailure(expression.field() + " gave a list holding a "
            + (item == null ? "null" : typeName(item)) + "; it must hold strings only");
      }
      strings.add((String) item);
    }
    return strings;
  }

  private static String typeName(Object value) {
    if (value instanceof Long) {
      return "number";
    }
    if (value instanceof Map) {
      return "map";
    }
    if (value instanceof List) {
      return "list";
    }
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private record Rule(boolean deny, Expression condition, String reason) {}

  /** An expression that failed to run, or gave a value of the wrong shape. */
  private static final class PolicyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PolicyFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** One compiled CEL expression and the configuration key it came from. */
  private static final class Expression {
    private final String field;
    private final Program program;
    private final CelKind kind;

    private Expression(String field, Program program, CelKind kind) {
      this.field = field;
      this.program = program;
      this.kind = kind;
    }

    static Expression compileOrNull(String field, String text, CelKind kind) {
      return text == null ? null : compile(field, text, kind);
    }

    static Expression compile(String field, String text, CelKind kind) {
      CelAbstractSyntaxTree ast;
      try {
        ast = CEL.compile(text).getAst();
      } catch (CelValidationException e) {
        CelIssue issue = e.getErrors().get(0);
        throw new ConfigException(field, "does not compile at line "
            + issue.getSourceLocation().getLine() + ", column "
            + (issue.getSourceLocation().getColumn() + 1) + ": " + issue.getMessage());
      }
      CelType type = ast.getResultType();
      if (type.kind() != kind && type.kind() != CelKind.DYN) {
        throw new ConfigException(field, "gives a " + type.name() + "; it must give a "
            + kind.name().toLowerCase(java.util.Locale.ROOT));
      }
      try {
        return new Expression(field, CEL.createProgram(ast), kind);
      } catch (CelEvaluationException e) {
        throw new ConfigException(field, "cannot run: " + e.getMessage());
      }
    }

    String field() {
      return field;
    }

    Object evaluate(Map<String, Object> activation) {
      Object value;
      try {
        value = program.eval(activation);
      } catch (CelEvaluationException | RuntimeException e) {
        throw new PolicyFailure(field + " failed: " + e.getMessage());
      }
      boolean fits = switch (kind) {
        case BOOL -> value instanceof Boolean;
        case LIST -> value instanceof List;
        case DURATION -> value instanceof Duration;
        default -> false;
      };
      if (!fits) {
        throw new PolicyFailure(field + " gave a " + (value == null ? "null"
            : typeName(value)) + "; it must give a "
            + kind.name().toLowerCase(java.util.Locale.ROOT));
      }
      return value;
    }
  }

  /** A policy that allows everything and decides nothing, for tests. */
  public static ProfilePolicy allowAll(Duration maxValidity) {
    return new ProfilePolicy(List.of(), null, Map.of(), null, null, false, maxValidity);
  }
}
