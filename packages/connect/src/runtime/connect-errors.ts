/** A REST failure with Kafka Connect's status and message: `{"error_code": status, "message": …}`. */
export class ConnectRestException extends Error {
  override readonly name = 'ConnectRestException';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ConnectRestException(404, message);
export const alreadyExists = (message: string) => new ConnectRestException(409, message);
export const badRequest = (message: string) => new ConnectRestException(400, message);
