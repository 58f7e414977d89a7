export const CLIENT_ID: string
export const CLIENT_SECRET: string
