/**
 * The only error the filter engine throws for bad input. Dataverse parses `$filter` with the OData library
 * (Microsoft.OData.Core), so the message builders below reproduce that library's wording; Dataverse passes
 * those messages through unchanged (e.g. "There is an unterminated literal at position 21 in
 * 'lastname eq 'O'Bryan''." is quoted in MSDocs webapi/query/filter-rows.md §Manage single quotes).
 */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  /** Character offset into the text being parsed, when the problem has one. */
  readonly position: number | undefined;

  constructor(message: string, options: { readonly position?: number; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.position = options.position;
  }
}

export function syntaxError(position: number, text: string): FilterError {
  return new FilterError(`Syntax error at position ${position} in '${text}'.`, { position });
}

export function invalidCharacter(position: number, text: string): FilterError {
  return new FilterError(
    `Syntax error: character '${text.charAt(position)}' is not valid at position ${position} in '${text}'.`,
    { position },
  );
}

export function unterminatedLiteral(position: number, text: string): FilterError {
  return new FilterError(`There is an unterminated literal at position ${position} in '${text}'.`, {
    position,
  });
}

export function unrecognizedLiteral(
  edmType: string,
  literal: string,
  position: number,
  text: string,
): FilterError {
  return new FilterError(`Unrecognized '${edmType}' literal '${literal}' at '${position}' in '${text}'.`, {
    position,
  });
}

export function expected(what: string, position: number, text: string): FilterError {
  return new FilterError(`${what} expected at position ${position} in '${text}'.`, { position });
}

export function recursionLimitExceeded(position: number): FilterError {
  return new FilterError('Recursion depth exceeded allowed limit.', { position });
}

export function unknownFunction(name: string, position: number): FilterError {
  return new FilterError(
    `An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
    { position },
  );
}

export function propertyNotFound(property: string, entityName: string, position?: number): FilterError {
  return new FilterError(
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${entityName}'.`,
    position === undefined ? {} : { position },
  );
}

export function incompatibleOperands(
  left: string,
  right: string,
  operatorKind: string,
  position: number,
): FilterError {
  return new FilterError(
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${operatorKind}'.`,
    { position },
  );
}
