/** FindCoordinator's `keyType`: which coordinator a key names. */
export const CoordinatorType = {
  GROUP: 0,
  TRANSACTION: 1,
  /** KIP-932 share groups' share coordinator. */
  SHARE: 2,
} as const;
export type CoordinatorType = (typeof CoordinatorType)[keyof typeof CoordinatorType];
