/**
 * Installs the op library into the tensor core (tensor/installed-ops.ts), where the Tensor
 * class's methods and the op table's derivative rules reach it: both sit below ops/functional.ts,
 * which imports them, so they cannot import it back. The library's entry and ops/creation.ts
 * import this module first.
 * @module
 */
import * as F from "./functional";
import { installFunctional } from "../tensor/installed-ops";

installFunctional(F);
