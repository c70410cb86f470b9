import type { InitOptions, Model, ModelAttributes, ModelStatic } from 'sequelize';

/**
 * A model class bound to one Sequelize instance. Sequelize binds a class to the instance it was
 * initialised with, so each open database gets its own subclasses of the typed model classes (the
 * classes declared in this folder are never bound themselves: they give the types, `db.models` gives
 * the bound copies). The model name stays the class name, so the generated SQL is the same.
 */
export function bind<M extends ModelStatic<Model>>(base: M, attributes: ModelAttributes, options: InitOptions): M {
  const Base = base as unknown as new (...args: never[]) => Model;
  const bound = class extends Base {} as unknown as M;
  bound.init(attributes, { ...options, modelName: base.name });
  // Transitional: repositories that still read the process-wide classes find them bound too.
  base.init(copyAttributes(attributes), { ...options, modelName: base.name });
  return bound;
}

/** Sequelize normalises attribute definitions in place: each init gets its own copy. */
function copyAttributes(attributes: ModelAttributes): ModelAttributes {
  return Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, typeof a === 'object' && a !== null ? { ...a } : a]));
}
