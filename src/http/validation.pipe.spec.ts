import { type ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { createValidationPipe, MAX_BODY_DEPTH } from './validation.pipe';

/*
 * The pipe every request body, query and parameter goes through (`configureApp`), on DTOs of its
 * own: what it refuses, how each failure names its field, and the depth limit that keeps a deeply
 * nested body from overflowing class-transformer's stack (a 500).
 */

class Dimensions {
  @IsInt()
  @Min(1)
  width!: number;
}

class Shape {
  @IsString()
  @MaxLength(5)
  name!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Dimensions)
  size?: Dimensions;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Dimensions)
  parts?: Dimensions[];

  @IsOptional()
  extra?: unknown;
}

const body: ArgumentMetadata = { type: 'body', metatype: Shape };
const query: ArgumentMetadata = { type: 'query', metatype: Shape };

/** `{ extra: [[[...]]] }` whose nesting depth, the outer object included, is `depth`. */
function nested(depth: number): Record<string, unknown> {
  let value: unknown = [];
  for (let level = 2; level < depth; level++) value = [value];
  return { name: 'box', extra: value };
}

/** The body of the 400 the pipe throws for `value`. */
async function refusal(value: unknown, metadata = body): Promise<unknown> {
  const error: unknown = await createValidationPipe()
    .transform(value, metadata)
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(BadRequestException);
  return (error as BadRequestException).getResponse();
}

describe(createValidationPipe.name, () => {
  it('turns a valid body into an instance of its DTO, nested ones included', async () => {
    const shape = (await createValidationPipe().transform(
      { name: 'box', size: { width: 2 }, parts: [{ width: 3 }], extra: [null, 'a', 1] },
      body,
    )) as Shape;
    expect(shape).toBeInstanceOf(Shape);
    expect(shape.size).toBeInstanceOf(Dimensions);
    expect(shape.parts?.[0]).toBeInstanceOf(Dimensions);
    expect(shape).toEqual({
      name: 'box',
      size: { width: 2 },
      parts: [{ width: 3 }],
      extra: [null, 'a', 1],
    });
  });

  it('refuses an unknown property, naming it', async () => {
    expect(await refusal({ name: 'box', admin: true })).toEqual({
      message: 'property admin should not exist',
      details: [{ field: 'admin', message: 'property admin should not exist' }],
    });
  });

  it('reports one message per field, the first check that failed, every field in details', async () => {
    // 42 fails both checks of `name`; class-validator runs the lower decorator first.
    expect(await refusal({ name: 42 })).toEqual({
      message: 'name must be shorter than or equal to 5 characters',
      details: [{ field: 'name', message: 'name must be shorter than or equal to 5 characters' }],
    });
    const response = (await refusal({ name: 'toolong', size: { width: 0 } })) as {
      details: unknown;
    };
    expect(response).toEqual({
      message: 'name must be shorter than or equal to 5 characters',
      details: [
        { field: 'name', message: 'name must be shorter than or equal to 5 characters' },
        { field: 'size.width', message: 'width must not be less than 1' },
      ],
    });
  });

  it('names a nested field by its path, array indexes included', async () => {
    expect(await refusal({ name: 'box', parts: [{ width: 1 }, { width: 1.5 }] })).toEqual({
      message: 'width must be an integer number',
      details: [{ field: 'parts.1.width', message: 'width must be an integer number' }],
    });
  });

  it(`accepts a body nested ${MAX_BODY_DEPTH} levels deep`, async () => {
    const shape = (await createValidationPipe().transform(nested(MAX_BODY_DEPTH), body)) as Shape;
    expect(shape).toEqual(nested(MAX_BODY_DEPTH));
  });

  it.each([
    ['one level more', MAX_BODY_DEPTH + 1],
    ['far more, without recursing', 100_000],
  ])(
    `refuses a body nested ${MAX_BODY_DEPTH} levels deep plus %s, naming body`,
    async (_, depth) => {
      const message = `body must not be nested more than ${MAX_BODY_DEPTH} levels deep`;
      expect(await refusal(nested(depth))).toEqual({
        message,
        details: [{ field: 'body', message }],
      });
    },
  );

  it('counts objects as levels too', async () => {
    let value: Record<string, unknown> = {};
    for (let level = 1; level < MAX_BODY_DEPTH + 1; level++) value = { a: value };
    const response = (await refusal({ name: 'box', extra: value })) as { message: string };
    expect(response.message).toMatch(/nested more than/);
  });

  it('measures the deepest branch, wherever it is', async () => {
    const deep = nested(MAX_BODY_DEPTH + 1).extra;
    const response = (await refusal({ name: 'box', extra: [deep, {}, 1, 'a', null] })) as {
      message: string;
    };
    expect(response.message).toMatch(/nested more than/);
  });

  it('leaves the depth limit to bodies: a query is only validated', async () => {
    expect(await refusal({ ...nested(MAX_BODY_DEPTH + 2), size: { width: 1.5 } }, query)).toEqual({
      message: 'width must be an integer number',
      details: [{ field: 'size.width', message: 'width must be an integer number' }],
    });
  });
});
