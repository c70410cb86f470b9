import type { InitOptions, Model, ModelAttributes, ModelStatic } from 'sequelize';

/**
 * A model class bound to one Sequelize instance. Sequelize binds a class to the instance it was
 * initialised with, so each open database gets its own subclasses of the typed model classes: the
 * classes declared in this folder are never bound themselves (they give the types; `db.models`
 * holds the bound copies, and calling a query on a declared class throws). The model name stays
 * the class name, so the generated SQL is the same for every database.
 */
export function bind<M extends ModelStatic<Model>>(base: M, attributes: ModelAttributes, options: InitOptions): M {
  const Base = base as unknown as new (...args: never[]) => Model;
  const bound = class extends Base {} as unknown as M;
  bound.init(attributes, { ...options, modelName: base.name });
  return bound;
}
