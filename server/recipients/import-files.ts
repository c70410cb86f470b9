/**
 * The files of console imports, in the `imports` folder of the spool: the uploaded CSV (deleted
 * once read) and the reject report of each job (deleted with the job by the cleanup workflow).
 */
export const IMPORTS_FOLDER = 'imports';

export const uploadFileName = (token: string) => `upload-${token}.csv`;

export const rejectsFileName = (jobId: number) => `import-${jobId}.rejects.csv`;
