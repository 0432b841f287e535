/**
 * Jest setup (jest.config.js `setupFiles`): every suite runs as an app that called
 * `useFullJmespath()`, since many specs there go beyond plain member paths. The
 * suites that check what an app gets without it (spec/specs/compileExpression.spec.ts)
 * uninstall it for themselves.
 */
import { useFullJmespath } from '../../src/specs/fullJmespath';

useFullJmespath();
