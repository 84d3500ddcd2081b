import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';
import { STATUS_BY_KIND } from '../libs/common/src/errors/problem';
import type { ErrorKind } from '../libs/common/src/errors/domain.error';

/** A problem code found in the sources, with the statuses its throw sites give it. */
export interface FoundProblemCode {
  code: string;
  /** HTTP statuses from the `kind` of DomainError sites; empty when only rendered directly. */
  statuses: Set<number>;
  /** `path:line` of each place that produces it. */
  sites: string[];
}

export interface ProblemCodeScan {
  codes: Map<string, FoundProblemCode>;
  /** Code (or kind) expressions the scan could not reduce to string literals, as `path:line: text`. */
  unresolved: string[];
}

/** Sources the connector answers from: libs and apps/connector, not specs, not the mock bank. */
const SOURCE_ROOTS = ['libs', join('apps', 'connector')];

/**
 * Places that re-raise a code found elsewhere rather than choosing one, as `path` (relative,
 * '/'-separated) plus the expression text: the idempotency store replays the problem it stored.
 */
const FORWARDING_SITES = new Set([
  'libs/persistence/src/idempotency/idempotency.service.ts|problem.code',
  'libs/persistence/src/idempotency/idempotency.service.ts|problem.kind',
]);

type Resolved = string[];

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const dir of SOURCE_ROOTS) {
    for (const file of ts.sys.readDirectory(join(root, dir), ['.ts'])) {
      const rel = relative(root, file).split(sep).join('/');
      if (
        !/\/src\//.test(rel) ||
        /\.(spec|int-spec|e2e-spec)\.ts$/.test(rel) ||
        /\.d\.ts$/.test(rel)
      )
        continue;
      files.push(file);
    }
  }
  return files;
}

/**
 * Finds every stable problem code the connector can answer with, by reading its TypeScript:
 * the code argument of each construction of DomainError (directly, through subclasses and
 * helper functions, followed back to the string literals their callers pass) and each
 * `problemType(code)` the HTTP layer renders without a DomainError.
 */
export function scanProblemCodes(root: string): ProblemCodeScan {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = sourceFiles(root);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const ours = program
    .getSourceFiles()
    .filter((sf) => files.some((f) => ts.sys.resolvePath(f) === ts.sys.resolvePath(sf.fileName)));

  const codes = new Map<string, FoundProblemCode>();
  const unresolved: string[] = [];
  const where = (node: ts.Node): string => {
    const sf = node.getSourceFile();
    const rel = relative(root, sf.fileName).split(sep).join('/');
    return `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };
  const relPath = (node: ts.Node) =>
    relative(root, node.getSourceFile().fileName).split(sep).join('/');

  // Every call and `new` in our sources, found by syntax; the checker resolves them on demand.
  const newOrSuperCalls: Array<ts.NewExpression | ts.CallExpression> = [];
  const callsByName = new Map<string, ts.CallExpression[]>();
  const problemTypeCalls: ts.CallExpression[] = [];
  let domainErrorCtor: ts.ConstructorDeclaration | undefined;
  for (const sf of ours) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isClassDeclaration(node) &&
        node.name?.text === 'DomainError' &&
        relPath(node) === 'libs/common/src/errors/domain.error.ts'
      ) {
        domainErrorCtor = node.members.find(ts.isConstructorDeclaration);
      }
      if (ts.isNewExpression(node)) newOrSuperCalls.push(node);
      if (ts.isCallExpression(node)) {
        if (node.expression.kind === ts.SyntaxKind.SuperKeyword) newOrSuperCalls.push(node);
        const callee = ts.isPropertyAccessExpression(node.expression)
          ? node.expression.name
          : node.expression;
        if (ts.isIdentifier(callee)) {
          const list = callsByName.get(callee.text) ?? [];
          list.push(node);
          callsByName.set(callee.text, list);
          if (callee.text === 'problemType') problemTypeCalls.push(node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  /** The calls (and `new`, `super`) in our sources that resolve to a function or constructor. */
  const callCache = new Map<ts.Node, Array<ts.CallExpression | ts.NewExpression>>();
  const callsOf = (fn: ts.SignatureDeclaration): Array<ts.CallExpression | ts.NewExpression> => {
    const cached = callCache.get(fn);
    if (cached) return cached;
    let candidates: Array<ts.CallExpression | ts.NewExpression>;
    if (ts.isConstructorDeclaration(fn)) candidates = newOrSuperCalls;
    else {
      const name =
        fn.name && ts.isIdentifier(fn.name)
          ? fn.name.text
          : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
            ? fn.parent.name.text
            : undefined;
      candidates = name ? (callsByName.get(name) ?? []) : [];
    }
    const calls = candidates.filter((c) => checker.getResolvedSignature(c)?.declaration === fn);
    callCache.set(fn, calls);
    return calls;
  };
  if (!domainErrorCtor) throw new Error('DomainError constructor not found');

  const isDomainErrorType = (type: ts.Type): boolean => {
    for (let t: ts.Type | undefined = type; t;) {
      if (t.getSymbol()?.getName() === 'DomainError') return true;
      const bases: ts.Type[] = t.isClassOrInterface() ? checker.getBaseTypes(t) : [];
      t = bases[0];
    }
    return false;
  };

  const memo = new Map<string, Resolved | null>();
  const fail = (node: ts.Node): null => {
    unresolved.push(`${where(node)}: ${node.getText()}`);
    return null;
  };

  const literalsOfType = (node: ts.Node): Resolved | undefined => {
    const type = checker.getTypeAtLocation(node);
    if (type.isStringLiteral()) return [type.value];
    if (type.isUnion() && type.types.every((t) => t.isStringLiteral()))
      return type.types.map((t) => (t as ts.StringLiteralType).value);
    return undefined;
  };

  /** The string values an expression can take; null (and a note) when it cannot be known. */
  const resolve = (expr: ts.Expression, depth = 0): Resolved | null => {
    if (depth > 12) return fail(expr);
    if (
      ts.isParenthesizedExpression(expr) ||
      ts.isAsExpression(expr) ||
      ts.isNonNullExpression(expr) ||
      ts.isSatisfiesExpression(expr)
    )
      return resolve(expr.expression, depth + 1);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
    if (ts.isTemplateExpression(expr)) {
      let out: Resolved = [expr.head.text];
      for (const span of expr.templateSpans) {
        const parts = resolve(span.expression, depth + 1);
        if (!parts) return null;
        out = out.flatMap((prefix) => parts.map((p) => prefix + p + span.literal.text));
      }
      return out;
    }
    if (ts.isConditionalExpression(expr)) {
      const a = resolve(expr.whenTrue, depth + 1);
      const b = resolve(expr.whenFalse, depth + 1);
      return a && b ? [...a, ...b] : null;
    }
    if (
      ts.isBinaryExpression(expr) &&
      (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        expr.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      const a = resolve(expr.left, depth + 1);
      const b = resolve(expr.right, depth + 1);
      return a && b ? [...a, ...b] : null;
    }
    if (FORWARDING_SITES.has(`${relPath(expr)}|${expr.getText()}`)) return [];
    const typed = literalsOfType(expr);
    if (typed) return typed;
    if (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr)) {
      let symbol = checker.getSymbolAtLocation(ts.isIdentifier(expr) ? expr : expr.name);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const declaration = symbol?.valueDeclaration;
      if (declaration && ts.isVariableDeclaration(declaration)) {
        if (ts.isArrayBindingPattern(declaration.name)) return fail(expr);
        return declaration.initializer ? resolve(declaration.initializer, depth + 1) : fail(expr);
      }
      if (declaration && ts.isBindingElement(declaration)) return resolveBinding(declaration, expr);
      if (declaration && ts.isParameter(declaration)) return resolveParameter(declaration, depth);
    }
    return fail(expr);
  };

  /** `const [a, b] = TABLE[k] ?? [x, y]`: the values at a's position in every candidate tuple. */
  const resolveBinding = (element: ts.BindingElement, at: ts.Node): Resolved | null => {
    const pattern = element.parent;
    const declaration = pattern.parent;
    if (!ts.isArrayBindingPattern(pattern) || !ts.isVariableDeclaration(declaration))
      return fail(at);
    const index = pattern.elements.indexOf(element);
    const tuples = (e: ts.Expression, depth: number): ts.Expression[] | null => {
      if (depth > 8) return null;
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e))
        return tuples(e.expression, depth + 1);
      if (ts.isArrayLiteralExpression(e)) return [e];
      if (
        ts.isBinaryExpression(e) &&
        e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken
      ) {
        const a = tuples(e.left, depth + 1);
        const b = tuples(e.right, depth + 1);
        return a && b ? [...a, ...b] : null;
      }
      if (ts.isElementAccessExpression(e)) {
        const table = tuples(e.expression, depth + 1);
        return table;
      }
      if (ts.isObjectLiteralExpression(e)) {
        const out: ts.Expression[] = [];
        for (const p of e.properties) {
          if (!ts.isPropertyAssignment(p)) return null;
          const inner = tuples(p.initializer, depth + 1);
          if (!inner) return null;
          out.push(...inner);
        }
        return out;
      }
      if (ts.isIdentifier(e)) {
        const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
        if (decl && ts.isVariableDeclaration(decl) && decl.initializer)
          return tuples(decl.initializer, depth + 1);
      }
      return null;
    };
    const candidates = declaration.initializer ? tuples(declaration.initializer, 0) : null;
    if (!candidates) return fail(at);
    const out: Resolved = [];
    for (const tuple of candidates) {
      const item = (tuple as ts.ArrayLiteralExpression).elements[index];
      const values = item ? resolve(item) : null;
      if (!values) return fail(at);
      out.push(...values);
    }
    return out;
  };

  /** A parameter: what every caller of its function passes (or its default). */
  const resolveParameter = (param: ts.ParameterDeclaration, depth: number): Resolved | null => {
    const fn = param.parent;
    const key = `${where(param)}#${param.name.getText()}`;
    if (memo.has(key)) return memo.get(key) ?? null;
    memo.set(key, []); // recursion guard
    const index = fn.parameters.indexOf(param);
    const out: Resolved = [];
    let ok = true;
    for (const call of callsOf(fn)) {
      const arg = call.arguments?.[index];
      const values = arg
        ? resolve(arg, depth + 1)
        : param.initializer
          ? resolve(param.initializer, depth + 1)
          : [];
      if (values) out.push(...values);
      else ok = false;
    }
    memo.set(key, ok ? out : null);
    return ok ? out : null;
  };

  const add = (code: string, status: number | undefined, site: string): void => {
    const found = codes.get(code) ?? { code, statuses: new Set<number>(), sites: [] };
    if (status !== undefined) found.statuses.add(status);
    if (!found.sites.includes(site)) found.sites.push(site);
    codes.set(code, found);
  };

  const parameterOf = (expr: ts.Expression): ts.ParameterDeclaration | undefined => {
    if (!ts.isIdentifier(expr)) return undefined;
    const declaration = checker.getSymbolAtLocation(expr)?.valueDeclaration;
    return declaration && ts.isParameter(declaration) ? declaration : undefined;
  };

  /**
   * The (code, kind, site) triples a code and kind expression can take together: when both are
   * parameters of one function (BankCallError, a helper), each caller's pair is kept together.
   */
  const resolvePair = (
    codeExpr: ts.Expression,
    kindExpr: ts.Expression,
    site: ts.Node,
    depth: number,
  ): Array<[string, string, string]> | null => {
    const codeParam = parameterOf(codeExpr);
    const kindParam = parameterOf(kindExpr);
    if (depth < 8 && codeParam && kindParam && codeParam.parent === kindParam.parent) {
      const fn = codeParam.parent;
      const out: Array<[string, string, string]> = [];
      for (const call of callsOf(fn)) {
        const codeArg = call.arguments?.[fn.parameters.indexOf(codeParam)] ?? codeParam.initializer;
        const kindArg = call.arguments?.[fn.parameters.indexOf(kindParam)] ?? kindParam.initializer;
        if (!codeArg || !kindArg) continue;
        const pairs = resolvePair(codeArg, kindArg, call, depth + 1);
        if (!pairs) return null;
        out.push(...pairs);
      }
      return out;
    }
    const codeValues = resolve(codeExpr);
    const kindValues = resolve(kindExpr);
    if (!codeValues || !kindValues) return null;
    return codeValues.flatMap((code) =>
      kindValues.map((kind): [string, string, string] => [code, kind, where(site)]),
    );
  };

  for (const call of callsOf(domainErrorCtor)) {
    const [codeArg, kindArg] = call.arguments ?? [];
    if (!codeArg || !kindArg) continue;
    for (const [code, kind, site] of resolvePair(codeArg, kindArg, call, 0) ?? [])
      add(code, STATUS_BY_KIND[kind as ErrorKind], site);
  }

  for (const call of problemTypeCalls) {
    const arg = call.arguments[0];
    if (!arg) continue;
    // The filter rendering a DomainError: its code is found where the error is made.
    if (
      ts.isPropertyAccessExpression(arg) &&
      arg.name.text === 'code' &&
      isDomainErrorType(checker.getTypeAtLocation(arg.expression))
    )
      continue;
    for (const code of resolve(arg) ?? []) add(code, undefined, where(call));
  }

  return { codes, unresolved };
}
