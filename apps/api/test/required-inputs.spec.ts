import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationTypes, getMetadataStorage, validateSync } from 'class-validator';
import { AppModule } from '../src/app.module';

/**
 * Issue 18 item 1: `POST /customers` without `billingAddress` was accepted (the DTO had
 * `@ValidateNested` without `@IsDefined`, which lets `undefined` through) and the customers
 * projection then failed on every retry. This holds it for every input class of every context:
 * a field that is not marked optional (`@IsOptional`, or conditional with `@ValidateIf`) is refused
 * when it is absent.
 */
interface ValidationMetadata {
  type: string;
  propertyName: string;
}

describe('issue 18 item 1 — every required input field is refused when absent', () => {
  expect(AppModule).toBeDefined(); // importing the application registers every context's input classes
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<Function | string, ValidationMetadata[]>;
    getTargetValidationMetadatas(target: Function, schema: string, always: boolean, strictGroups: boolean): ValidationMetadata[];
  };
  const targets = [...storage.validationMetadatas.keys()].filter((t): t is Function => typeof t === 'function' && !t.name.startsWith('Probe'));

  it('finds the input classes of every context', () => {
    expect(targets.length).toBeGreaterThan(100);
    expect(targets.map((t) => t.name)).toEqual(expect.arrayContaining(['RegisterCustomerDto', 'PlaceOrderDto']));
  });

  it('no input class lets a required field be absent', () => {
    const absentButAccepted: Record<string, string[]> = {};
    for (const target of targets) {
      const metadata = storage.getTargetValidationMetadatas(target, '', true, false);
      const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
      const required = [...new Set(metadata.map((m) => m.propertyName))].filter((p) => !optional.has(p));
      const refused = new Set(validateSync(plainToInstance(target as new () => object, {}) as object).map((e) => e.property));
      const accepted = required.filter((p) => !refused.has(p));
      if (accepted.length > 0) absentButAccepted[target.name] = accepted;
    }
    expect(absentButAccepted).toEqual({});
  });
});
