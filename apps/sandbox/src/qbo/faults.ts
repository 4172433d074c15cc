/**
 * QuickBooks Online faults in Intuit's JSON envelope:
 * `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"},"time":"…"}`.
 * Codes, messages and details follow the reference (quickbooks-online-api.md §2.4, §3, §11).
 */
export type QboFaultType = 'ValidationFault' | 'SystemFault' | 'AUTHENTICATION' | 'AuthorizationFault' | 'SERVICE';

export interface QboFaultError {
  readonly Message: string;
  readonly Detail: string;
  readonly code: string;
  readonly element?: string;
}

export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly type: QboFaultType,
    readonly errors: readonly QboFaultError[],
  ) {
    super(errors[0]?.Message ?? 'QuickBooks Online fault');
    this.name = 'QboFault';
  }

  /** The JSON body, given the response `time`. */
  toBody(time: string): { Fault: { Error: QboFaultError[]; type: QboFaultType }; time: string } {
    return { Fault: { Error: [...this.errors], type: this.type }, time };
  }
}

function validation(code: string, Message: string, Detail: string, element?: string): QboFault {
  const error: QboFaultError = element === undefined ? { Message, Detail, code } : { Message, Detail, code, element };
  return new QboFault(400, 'ValidationFault', [error]);
}

export const QboFaults = {
  /** 401: missing, malformed, expired or revoked access token. */
  authenticationFailed(reason: string): QboFault {
    return new QboFault(401, 'AUTHENTICATION', [
      { Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', Detail: reason, code: '3200' },
    ]);
  },
  /** 403: a valid token used on a company it was not issued for. */
  authorizationFailed(reason: string): QboFault {
    return new QboFault(403, 'AuthorizationFault', [
      { Message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403', Detail: reason, code: '3100' },
    ]);
  },
  unsupportedOperation(detail: string): QboFault {
    return validation('500', 'Unsupported Operation', detail);
  },
  objectNotFound(element?: string): QboFault {
    return validation(
      '610',
      'Object Not Found',
      "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
      element,
    );
  },
  /** 6140: a DocNumber already used by another transaction of the same type. */
  duplicateDocNumber(docNumber: string, kind: string, holderId: string): QboFault {
    return validation(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${kind} with TxnId=${holderId}`,
      'DocNumber',
    );
  },
  /** 429, code 3001 (ThrottleExceeded). */
  throttled(detail = 'The request limit was reached.  Try again later'): QboFault {
    return new QboFault(429, 'SERVICE', [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: detail, code: '3001' }]);
  },
  /** 500/503 injected by the fault control. */
  serviceError(status: 500 | 503): QboFault {
    return status === 500
      ? new QboFault(500, 'SystemFault', [{ Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.', code: '10000' }])
      : new QboFault(503, 'SERVICE', [{ Message: 'Service Unavailable', Detail: 'The service is temporarily unavailable. Try again later.', code: '503' }]);
  },
  unsupportedProperty(property: string): QboFault {
    return validation('2010', 'Request has invalid or unsupported property', `Property Name:${property} specified is unsupported or invalid`, property);
  },
  requiredParameter(parameter: string, hint = ''): QboFault {
    return validation(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${parameter} is missing in the request${hint}`,
      parameter,
    );
  },
  invalidString(element: string, value: string): QboFault {
    return validation(
      '2040',
      'Invalid String. The String may contain unsupported or illegal chars',
      `Element contains invalid characters. ${value}`,
      element,
    );
  },
  /** Observed QBO wording for a value longer than the field allows (code 2050). */
  stringLength(element: string, max: number, supplied: number): QboFault {
    return validation(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max} supplied length:${supplied}`,
      element,
    );
  },
  parseObject(detail: string): QboFault {
    return validation('2310', 'Error parsing object', `ObjectParserError: ${detail}`);
  },
  queryParser(detail: string): QboFault {
    return validation('4000', 'Error parsing query', `QueryParserError: ${detail}`);
  },
  queryValidation(detail: string): QboFault {
    return validation('4000', 'Error parsing query', `QueryValidationError: ${detail}`);
  },
  staleObject(): QboFault {
    return validation(
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.',
    );
  },
  businessValidation(detail: string, element?: string): QboFault {
    return validation('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`, element);
  },
  duplicateName(existingId: string): QboFault {
    return validation('6240', 'Duplicate Name Exists Error', `The name supplied already exists. : Id=${existingId}`);
  },
};
