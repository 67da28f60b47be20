/**
 * Rules of the broad benchmark: columns that are not run themselves but pick, per problem and budget, the run of
 * another sampler — the way `makeSampler('auto')` picks a sampler by space and budget. A rule sees what a real
 * study knows before it starts: the declared space, whether parameters are conditional, and `--trials`.
 */
import { AUTO_GP, type AutoChoice, autoChoice, autoStartupTrials } from '../../../src/samplers/make.js';
import type { SearchSpace } from '../../../src/space/distributions.js';

export type Rule = (space: SearchSpace, budget: number, conditional: boolean) => string;

/** The benchmark column of TPE with `n` quasi-random start-up trials (8 is the `tpe` default). */
const tpeColumn = (n: number): string => (n === 8 ? 'tpe' : `tpe-h${n}`);

/** A GP-or-TPE rule: the GP where `gp` holds (a budget of 20–300 trials), TPE with `startup(budget)` trials otherwise. */
function gpOr(gp: (nParams: number, conditional: boolean) => boolean, startup: (budget: number) => number): Rule {
  return (space, budget, conditional) =>
    budget >= AUTO_GP.minTrials && budget <= AUTO_GP.maxTrials && gp(Object.keys(space).length, conditional) ? 'gp' : tpeColumn(startup(budget));
}

const fixed8 = (): number => 8;

/** `auto`'s choice up to session 23: TPE with ⌈budget/2⌉ start-up trials below 20 trials, autoChoice from 20 on. */
function choiceS23(space: SearchSpace, budget: number, conditional: boolean): AutoChoice {
  return budget < AUTO_GP.minTrials ? { sampler: 'tpe', nStartupTrials: autoStartupTrials(budget) } : autoChoice(space, budget, { conditional });
}

/** `auto`'s choice up to session 23, with `column` run where it picks the GP. */
function withGp(column: string): Rule {
  return (space, budget, conditional) => {
    const c = choiceS23(space, budget, conditional);
    return c.sampler === 'gp' ? column : tpeColumn(c.nStartupTrials);
  };
}

/** `auto-s22` from 20 trials on; below, `column` where `gp` holds and TPE with ⌈budget/2⌉ start-up trials otherwise. */
function smallBudget(gp: (nParams: number, conditional: boolean) => boolean, column: string): Rule {
  return (space, budget, conditional) => {
    if (budget < AUTO_GP.minTrials && gp(Object.keys(space).length, conditional)) return column;
    const c = choiceS23(space, budget, conditional);
    return c.sampler === 'gp' ? 'gp' : tpeColumn(c.nStartupTrials);
  };
}

/** `auto` (the warped GP) from 20 trials on; below, `column` where `gp` holds and TPE with ⌈budget/2⌉ start-up trials otherwise. */
function smallBudgetOverAuto(gp: (nParams: number, conditional: boolean) => boolean, column: string): Rule {
  return (space, budget, conditional) =>
    budget < AUTO_GP.minTrials && gp(Object.keys(space).length, conditional) ? column : withGp('gp-yj')(space, budget, conditional);
}

/** Session 27: below 20 trials `auto`'s own choice with its sampler avoiding repeats (`gp` the GP's mode); `auto` from 20 on. */
function smallBudgetVariant(gp: 'exact' | 'spacing'): Rule {
  return (space, budget, conditional) => {
    const c = autoChoice(space, budget, { conditional });
    if (budget >= AUTO_GP.minTrials) return c.sampler === 'tpe' ? tpeColumn(c.nStartupTrials) : 'gp-yj';
    return c.sampler === 'tpe' ? `tpe-h${c.nStartupTrials}-norep` : `gp-iso-h${c.nStartupTrials}-${gp}`;
  };
}

/** Session 29: `auto`, with TPE's column suffixed by `suffix` where `auto` picks TPE (at every budget). */
function autoWithTpe(suffix: string): Rule {
  return (space, budget, conditional) => {
    const column = RULES.auto(space, budget, conditional);
    return column.startsWith('tpe') ? `${column}-${suffix}` : column;
  };
}

/**
 * The candidates of session 22, declared before their selection-part results were read: `auto` as makeSampler
 * first built it (the GP over 6–20 unconditional parameters from 20 trials, TPE with ⌈budget/2⌉ ≤ 10 start-up
 * trials otherwise: `auto-d6-fit`), its two parts alone, and the GP on more spaces. The selection rule chose
 * `auto-d4-fit`, which is what makeSampler's `auto` builds now.
 */
export const RULES: Readonly<Record<string, Rule>> = {
  /**
   * `--sampler auto` as makeSampler built it from session 26 to 29b: below 20 trials the isotropic GP with 4 start-up
   * trials where autoChoice picks the GP (session 26's `auto-small-iso-d4-h4`), the warped ARD GP from 20 trials on,
   * TPE elsewhere. Kept under this name so that every documented command reads the same runs; since session 29c
   * makeSampler's `auto` is `auto-Bn03` below (its TPE with `tiedValues: 'near'`, `tiedDistance: 0.03`).
   */
  auto: (space, budget, conditional) => {
    const c = autoChoice(space, budget, { conditional });
    if (c.sampler === 'tpe') return tpeColumn(c.nStartupTrials);
    return c.lengthscales === 'isotropic' ? `gp-iso-h${c.nStartupTrials}` : 'gp-yj';
  },
  /** `auto` of session 23: TPE with ⌈m/2⌉ Halton start-up trials below 20 trials, the warped GP from 20 on. */
  'auto-s23': (space, budget, conditional) => withGp('gp-yj')(space, budget, conditional),
  /** `auto` of session 22: the same choice, the GP without output warping. */
  'auto-s22': (space, budget, conditional) => withGp('gp')(space, budget, conditional),
  /** `auto` of session 21: the GP for 20–300 trials over ≤ 20 parameters, TPE otherwise. */
  'auto-s21': gpOr((n) => n <= 20, fixed8),
  /** TPE alone with the start-up fitted to the budget. */
  'tpe-fit': gpOr(() => false, autoStartupTrials),
  /** The GP over 6–20 unconditional parameters from 20 trials, fitted TPE start-up (the first `auto` of session 22). */
  'auto-d6-fit': gpOr((n, c) => n >= 6 && n <= 20 && !c, autoStartupTrials),
  /** The GP over 6–20 unconditional parameters, TPE's start-up left at 8. */
  'auto-d6': gpOr((n, c) => n >= 6 && n <= 20 && !c, fixed8),
  /** The GP over 4–20 unconditional parameters, fitted TPE start-up. */
  'auto-d4-fit': gpOr((n, c) => n >= 4 && n <= 20 && !c, autoStartupTrials),
  /** The GP over any ≤ 20 unconditional parameters, fitted TPE start-up. */
  'auto-nocond-fit': gpOr((n, c) => n <= 20 && !c, autoStartupTrials),
  // Session 23's candidates for budgets under 20 trials (`auto` from 20 on): the GP with a start-up of 4 or 6.
  /** Below 20 trials the GP with 6 start-up trials over 4–20 unconditional parameters, TPE (⌈m/2⌉) otherwise. */
  'auto-small-d4-h6': smallBudget((n, c) => n >= 4 && n <= 20 && !c, 'gp-h6'),
  /** Below 20 trials the GP with 6 start-up trials over any ≤ 20 unconditional parameters. */
  'auto-small-h6': smallBudget((n, c) => n <= 20 && !c, 'gp-h6'),
  /** Below 20 trials the GP with 4 start-up trials over 4–20 unconditional parameters. */
  'auto-small-d4-h4': smallBudget((n, c) => n >= 4 && n <= 20 && !c, 'gp-h4'),
  /** Below 20 trials the GP with 4 start-up trials over any ≤ 20 unconditional parameters. */
  'auto-small-h4': smallBudget((n, c) => n <= 20 && !c, 'gp-h4'),
  /** Below 20 trials TPE with 6 start-up trials and one of the settings of sampler-broad.ts's `tpe-h6-…`; `auto` from 20 on. */
  'auto-small-g25': smallBudget(() => true, 'tpe-h6-g25'),
  'auto-small-ei96': smallBudget(() => true, 'tpe-h6-ei96'),
  'auto-small-noprior': smallBudget(() => true, 'tpe-h6-noprior'),
  'auto-small-pw05': smallBudget(() => true, 'tpe-h6-pw05'),
  // Session 26's candidates for budgets under 20 trials (`auto` from 20 on), declared before their runs were made.
  /** Below 20 trials the GP with an isotropic kernel and 6 start-up trials over 4–20 unconditional parameters. */
  'auto-small-iso-d4-h6': smallBudgetOverAuto((n, c) => n >= 4 && n <= 20 && !c, 'gp-iso-h6'),
  /** The same with 4 start-up trials. */
  'auto-small-iso-d4-h4': smallBudgetOverAuto((n, c) => n >= 4 && n <= 20 && !c, 'gp-iso-h4'),
  /** Below 20 trials TPE with its ⌈m/2⌉ start-up trials a maximin Latin hypercube (`tpe-lhs6` at 12 trials). */
  'auto-small-lhs': (space, budget, conditional) =>
    budget < AUTO_GP.minTrials ? `tpe-lhs${autoStartupTrials(budget)}` : withGp('gp-yj')(space, budget, conditional),
  // Session 27's candidates for budgets under 20 trials (`auto` from 20 on), declared before their runs were made.
  /** Below 20 trials `auto`'s samplers with no exact repeat of an evaluated configuration (GP and TPE). */
  'auto-small-norep': smallBudgetVariant('exact'),
  /** The same, the GP also kept half the evaluated points' median spacing away from them. */
  'auto-small-spacing': smallBudgetVariant('spacing'),
  // Session 29's candidates (`auto` elsewhere), declared before their runs were made (samplers.md, "Session 29, declaration").
  /** (A) where `auto` picks TPE, TPE with `avoidRepeats: true`. */
  'auto-A': autoWithTpe('norep'),
  /** (B) where `auto` picks TPE, TPE with `tiedValues: 'above'`: a repeated value is never in the good group. */
  'auto-B': autoWithTpe('tied-above'),
  /** (C) where `auto` picks TPE, TPE with `tiedValues: 'drop'`: a repeated value is in neither group. */
  'auto-C': autoWithTpe('tied-drop'),
  // Session 29b's candidate (samplers.md, "Session 29b, declaration"; B and C above are its others).
  /**
   * (D) the warped ARD GP (`gp-yj`, `auto`'s GP from 20 trials) also over 1–3 unconditional parameters at a budget
   * of 20–300 trials, where `auto` picks TPE (session 22 refused the GP below 4 parameters with the unwarped GP).
   */
  'auto-D': (space, budget, conditional) => {
    const column = RULES.auto(space, budget, conditional);
    const n = Object.keys(space).length;
    const small = n >= 1 && n < AUTO_GP.minParams && !conditional && budget >= AUTO_GP.minTrials && budget <= AUTO_GP.maxTrials;
    return column.startsWith('tpe') && small ? 'gp-yj' : column;
  },
  // Session 29c's candidates (samplers.md, "Session 29c, declaration"), declared before their runs were made.
  /** (B′) where `auto` picks TPE, `tiedValues: 'near'`, `tiedDistance: 0.01`: a tie is a repeat only at the same point. */
  'auto-Bn01': autoWithTpe('tied-near01'),
  /** (B′) the same with `tiedDistance: 0.03`. */
  'auto-Bn03': autoWithTpe('tied-near03'),
  /** `auto-s22` with the GP's targets warped (Yeo–Johnson, `gp-yj`): session 23's candidate, now `auto` itself. */
  'auto-yj': withGp('gp-yj'),
};

/** The column whose run a column reads at `budget`: a rule's pick, or the column itself. */
export function ruleColumn(column: string, space: SearchSpace, budget: number, conditional: boolean): string {
  const rule = RULES[column];
  return rule === undefined ? column : rule(space, budget, conditional);
}
